// Placeholder of the base branch: replaced by the importer.
#include "onnx_kernel.h"

namespace sketch {

std::optional<ImportedModel> importOnnx(const std::string& path, const ImportOptions&,
                                        DiagnosticEngine& diags) {
  diags.reportFile(diag::KernelError, path, "onnx import is not built yet");
  return std::nullopt;
}

}  // namespace sketch
