#include "onnx_kernel.h"

#include "op_table.h"

namespace sketch {

namespace {

class OnnxKernel : public Kernel {
 public:
  std::string name() const override { return "onnx"; }
  std::vector<std::string> extensions() const override { return {".onnx"}; }
  std::string description() const override { return "ONNX (standard domain, opset 13-17)"; }
  bool supports(const Node& node) const override { return onnxOps().supports(node); }
  std::vector<std::string> opNames() const override { return onnxOps().writtenOps(); }
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

std::unique_ptr<Kernel> makeOnnxKernel() { return std::make_unique<OnnxKernel>(); }

}  // namespace sketch
