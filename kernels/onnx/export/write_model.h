// Writes a checked ModelProto: initializers inline, or (above protobuf's 2 GB limit, or on
// request) as ONNX external data in `<out>.data` beside the model, at 4096-byte aligned
// offsets. Either way the weight bytes go from the tensors (for weights: the memory-mapped
// input) straight into the file; the ModelProto never holds a copy of a large tensor. Both
// files go through AtomicFile; the model is checked (onnx::checker and strict shape
// inference) before it is renamed into place.
#pragma once

#include <onnx/onnx_pb.h>

#include "diag/diagnostic.h"
#include "emit_context.h"
#include "kernel/kernel.h"

namespace sketch {

/// Total bytes above which initializers go to external data: protobuf cannot serialise a
/// message of 2 GB; 64 MiB are left for the graph itself.
constexpr uint64_t kInlineWeightLimit = (uint64_t{1} << 31) - (uint64_t{1} << 26);

/// Attaches `initializers` to `model`, checks it and writes it (and its data file). The
/// model's parts are moved out while writing: `model` is left empty.
bool writeModel(onnx::ModelProto& model, const std::vector<Initializer>& initializers,
                const ExportOptions& options, DiagnosticEngine& diags);

}  // namespace sketch
