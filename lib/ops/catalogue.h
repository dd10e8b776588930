// The op catalogue: every OpDef, registered explicitly (lib/ops/all_ops.cpp), looked up by
// name. The built-in ops are read-only after construction.
//
// Ops declared at run time (a Lua plug-in's custom ops) form an extension layer: lookups
// consult it after the built-in ops. It is filled by an extension loader that runs once, on
// the first lookup of a name the catalogue lacks, so that runs which only meet built-in ops
// never load plug-ins. An extension never replaces a built-in op.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "ops/op_def.h"

namespace sketch {

class OpCatalogue {
 public:
  /// Adds an op; registering a name twice is a programming error and aborts.
  void add(OpDef def);
  /// Adds a run-time op to the extension layer; false (nothing added) if the name is taken.
  bool addExtension(OpDef def);
  /// Sets what declares the run-time ops; it runs at most once, on the first miss.
  void setExtensionLoader(std::function<void()> loader);
  const OpDef* find(const std::string& name) const;
  bool isExtension(const std::string& name) const { return extensions_.count(name) != 0; }
  /// All op names in registration order (built-in first, then extensions).
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::map<std::string, std::unique_ptr<OpDef>> ops_;
  std::vector<std::string> names_;
  std::map<std::string, std::unique_ptr<OpDef>> extensions_;
  // Lookups are logically const: loading the extension layer only completes the catalogue.
  mutable std::function<void()> loader_;
  mutable std::recursive_mutex loadMutex_;
};

/// The built-in catalogue (built on first use).
const OpCatalogue& catalogue();
/// The same catalogue, for plug-in hosts that declare run-time ops.
OpCatalogue& extensibleCatalogue();

}  // namespace sketch
