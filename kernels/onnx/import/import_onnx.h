// The importer's pipeline over an already-parsed model (tests and fuzzing feed models from
// memory): normalise -> unsupported-op scan -> raise to catalogue ops -> infer shapes.
#pragma once

#include <optional>
#include <string>

#include "import/onnx_graph.h"
#include "kernel/kernel.h"

namespace sketch::onnx_import {

std::optional<ImportedModel> importOnnxModel(OnnxFile file, const std::string& path,
                                             const ImportOptions& options,
                                             DiagnosticEngine& diags);

}  // namespace sketch::onnx_import
