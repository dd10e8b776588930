// ModuleKernel: stands in the registry for a kernel that lives in a separate module
// (module_loader.h), so that `--kernel torch` and `.pth` resolve without loading it.
// The module is loaded on the first call that needs the real kernel; a failure to load is
// reported, naming the module file, by the first call that has a DiagnosticEngine.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kernel/kernel.h"
#include "kernel/module_loader.h"

namespace sketch {

class ModuleKernel : public Kernel {
 public:
  ModuleKernel(std::string name, std::vector<std::string> extensions, std::string description)
      : name_(std::move(name)), extensions_(std::move(extensions)),
        description_(std::move(description)) {}

  std::string name() const override { return name_; }
  std::vector<std::string> extensions() const override { return extensions_; }
  std::string description() const override { return description_; }

  /// True when the module cannot be loaded: the load failure is the one error to report,
  /// not every node.
  bool supports(const Node& node) const override;
  bool exportModel(const Graph& graph, const WeightStore& weights, const ExportOptions& options,
                   DiagnosticEngine& diags) const override;
  bool canImport() const override { return true; }
  std::optional<ImportedModel> importModel(const std::string& path, const ImportOptions& options,
                                           DiagnosticEngine& diags) const override;

 private:
  /// The loaded kernel, or null after copying the load failure into `diags` (if given).
  const Kernel* load(DiagnosticEngine* diags) const;

  std::string name_;
  std::vector<std::string> extensions_;
  std::string description_;
  mutable bool tried_ = false;
  mutable std::unique_ptr<LoadedKernel> loaded_;
  mutable std::vector<Diagnostic> loadErrors_;
};

}  // namespace sketch
