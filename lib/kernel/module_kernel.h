// ModuleKernel: stands in the registry for a kernel that lives in a separate module
// (module_loader.h), so that `--kernel torch` and `.pth` resolve without loading it.
// The module is loaded on the first call that needs the real kernel; a failure to load is
// reported, naming the module file, by the first call that has a DiagnosticEngine.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kernel/kernel.h"
#include "kernel/module_loader.h"

namespace sketch {

class ModuleKernel : public Kernel {
 public:
  /// What the tools know of the module's kernel without loading it: its flags, and, when
  /// its op table is LibTorch-free too, what it supports.
  struct Info {
    std::string name;
    std::vector<std::string> extensions;
    std::string description;
    std::vector<KernelOption> options;
    std::function<bool(const Node&)> supports;  // null: ask the loaded kernel
    std::function<std::string(const Node&)> limitation;  // with `supports`
    std::vector<std::string> opNames;
    std::vector<std::string> readOpNames;
  };
  explicit ModuleKernel(Info info) : info_(std::move(info)) {}

  std::string name() const override { return info_.name; }
  std::vector<std::string> extensions() const override { return info_.extensions; }
  std::string description() const override { return info_.description; }
  std::vector<KernelOption> options() const override { return info_.options; }
  std::vector<std::string> opNames() const override { return info_.opNames; }
  std::vector<std::string> readOpNames() const override { return info_.readOpNames; }

  /// From Info::supports, without loading the module; otherwise true when the module
  /// cannot be loaded: the load failure is the one error to report, not every node.
  bool supports(const Node& node) const override;
  std::string limitation(const Node& node) const override;
  bool exportModel(const Graph& graph, const WeightStore& weights, const ExportOptions& options,
                   DiagnosticEngine& diags) const override;
  bool canImport() const override { return true; }
  std::optional<ImportedModel> importModel(const std::string& path, const ImportOptions& options,
                                           DiagnosticEngine& diags) const override;

 private:
  /// The loaded kernel, or null after copying the load failure into `diags` (if given).
  const Kernel* load(DiagnosticEngine* diags) const;

  Info info_;
  mutable bool tried_ = false;
  mutable std::unique_ptr<LoadedKernel> loaded_;
  mutable std::vector<Diagnostic> loadErrors_;
};

}  // namespace sketch
