// Placeholder of the base branch: replaced by the exporter.
#include "onnx_kernel.h"

namespace sketch {

bool onnxSupports(const Node&) { return false; }

bool exportOnnx(const Graph&, const WeightStore&, const ExportOptions& options, DiagnosticEngine& diags) {
  diags.reportFile(diag::KernelError, options.outputPath, "onnx export is not built yet");
  return false;
}

}  // namespace sketch
