#include "t7_kernel.h"

#include "t7_ops.h"

namespace sketch {

namespace {

class T7Kernel : public Kernel {
 public:
  std::string name() const override { return "t7"; }
  std::vector<std::string> extensions() const override { return {".t7"}; }
  std::string description() const override {
    return "Torch7 (torch.save binary or ascii, nn modules)";
  }
  bool supports(const Node& node) const override { return t7::t7Ops().supports(node); }
  std::string limitation(const Node& node) const override { return t7::t7Ops().limitation(node); }
  std::vector<std::string> opNames() const override { return t7::t7Ops().writtenOps(); }
  std::vector<std::string> readOpNames() const override { return t7::t7Ops().readOps(); }
  std::vector<KernelOption> options() const override {
    return {asciiOption(), dtypeOption(), emitLuaOption()};
  }
  bool exportModel(const Graph& graph, const WeightStore& weights, const ExportOptions& options,
                   DiagnosticEngine& diags) const override {
    return exportT7(graph, weights, options, diags);
  }
  bool canImport() const override { return true; }
  std::optional<ImportedModel> importModel(const std::string& path, const ImportOptions& options,
                                           DiagnosticEngine& diags) const override {
    return importT7(path, options, diags);
  }
};

}  // namespace

const KernelOption& asciiOption() {
  static const KernelOption option =
      KernelOption::flag("ascii", "the ascii format of torch.save instead of binary");
  return option;
}

const KernelOption& dtypeOption() {
  static const KernelOption option = KernelOption::choice(
      "dtype", "FloatTensor (float32) or DoubleTensor (float64) modules", "float32",
      {"float32", "float64"});
  return option;
}

const KernelOption& emitLuaOption() {
  static const KernelOption option = KernelOption::flag(
      "emit-lua", "also write OUT.lua, a script that rebuilds the model with require 'nn'");
  return option;
}

std::unique_ptr<Kernel> makeT7Kernel() { return std::make_unique<T7Kernel>(); }

}  // namespace sketch
