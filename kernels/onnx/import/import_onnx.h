// The importer's pipeline over an already-parsed model (tests and fuzzing feed models from
// memory): normalise -> unsupported-op scan -> raise to catalogue ops -> infer shapes.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "kernel/kernel.h"
#include "onnx/onnx_pb.h"

namespace sketch::onnx_import {

std::optional<ImportedModel> importOnnxModel(std::shared_ptr<onnx::ModelProto> model,
                                             const std::string& path, const ImportOptions& options,
                                             DiagnosticEngine& diags);

}  // namespace sketch::onnx_import
