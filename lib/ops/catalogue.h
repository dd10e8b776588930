// The op catalogue: every OpDef, registered explicitly (lib/ops/all_ops.cpp), looked up by
// name. Read-only after construction.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ops/op_def.h"

namespace sketch {

class OpCatalogue {
 public:
  /// Adds an op; registering a name twice is a programming error and aborts.
  void add(OpDef def);
  const OpDef* find(const std::string& name) const;
  /// All op names in registration order.
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::map<std::string, std::unique_ptr<OpDef>> ops_;
  std::vector<std::string> names_;
};

/// The built-in catalogue (built on first use).
const OpCatalogue& catalogue();

}  // namespace sketch
