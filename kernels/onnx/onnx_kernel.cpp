#include "onnx_kernel.h"

#include "onnx_ops.h"

namespace sketch {

namespace {

class OnnxKernel : public Kernel {
 public:
  std::string name() const override { return "onnx"; }
  std::vector<std::string> extensions() const override { return {".onnx"}; }
  std::string description() const override { return "ONNX (standard domain, opset 13-17)"; }
  bool supports(const Node& node) const override { return onnxOps().supports(node); }
  std::string limitation(const Node& node) const override { return onnxOps().limitation(node); }
  std::vector<std::string> opNames() const override { return onnxOps().writtenOps(); }
  std::vector<std::string> readOpNames() const override { return onnxOps().readOps(); }
  std::vector<KernelOption> options() const override {
    return {opsetOption(), externalDataOption()};
  }
  bool exportModel(const Graph& graph, const WeightStore& weights, const ExportOptions& options,
                   DiagnosticEngine& diags) const override {
    return exportOnnx(graph, weights, options, diags);
  }
  bool canImport() const override { return true; }
  std::optional<ImportedModel> importModel(const std::string& path, const ImportOptions& options,
                                           DiagnosticEngine& diags) const override {
    return importOnnx(path, options, diags);
  }
};

}  // namespace

const KernelOption& opsetOption() {
  static const KernelOption option =
      KernelOption::integer("opset", "ONNX opset to write", 17, 13, 17);
  return option;
}

const KernelOption& externalDataOption() {
  static const KernelOption option = KernelOption::flag(
      "external-data", "store the weights in OUT.data beside the model (automatic above 2 GB)");
  return option;
}

std::unique_ptr<Kernel> makeOnnxKernel() { return std::make_unique<OnnxKernel>(); }

}  // namespace sketch
