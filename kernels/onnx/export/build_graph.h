// Builds the ONNX graph of a checked sketch Graph: value names for every port, graph inputs
// and outputs under the sketch's names with symbolic dims as dim_param, one emitter call per
// node in topological order (the table in onnx_ops.cpp), value_info for every inferred type.
#pragma once

#include <onnx/onnx_pb.h>

#include "emit_context.h"

namespace sketch {

/// Fills `state.proto` (and `state.initializers`); emitter failures land in
/// `state.failures` and leave the graph incomplete.
void buildGraph(ExportState& state);

/// The IR version a model of `opset` declares (ONNX's versioning table).
int64_t irVersionFor(int opset);

/// Sets `info`'s name and tensor type; symbolic dims become dim_param.
void setValueInfo(onnx::ValueInfoProto& info, const std::string& name, const TensorType& type);

}  // namespace sketch
