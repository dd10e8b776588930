// Builds the ONNX graph of a checked sketch Graph: value names for every port, graph inputs
// and outputs under the sketch's names with symbolic dims as dim_param, one emitter call per
// node in topological order (the table in onnx_ops.cpp), value_info for every inferred type.
#pragma once

#include <onnx/onnx_pb.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "emit_context.h"

namespace sketch {

/// Fills `state.proto` (and `state.initializers`); emitter failures land in
/// `state.failures` and leave the graph incomplete.
void buildGraph(ExportState& state);

/// What one node becomes when written on its own: its ONNX nodes and the initializers they
/// read (its parameters under their state_dict names, and derived tensors).
struct EmittedBlock {
  onnx::GraphProto graph;  // only `node` is filled
  std::vector<Initializer> initializers;
};

/// Writes node `id` of `graph` alone, its ports named by `portValues` and its parameters
/// read from `weights`, as buildGraph would within a whole graph: how the importer checks
/// that a file's nodes are exactly what this exporter writes for a block. Nothing when the
/// emitter cannot express the node.
std::optional<EmittedBlock> emitBlock(const Graph& graph, NodeId id, const WeightStore& weights,
                                      int opset, const std::map<PortRef, std::string>& portValues);

/// The record of the blocks a graph was written from, for the model's metadata under
/// kWrittenBlocksKey: per block its path, op, resolved attributes and the values it reads
/// and writes, as JSON.
std::string writtenBlocks(const ExportState& state);
constexpr char kWrittenBlocksKey[] = "sketchc.blocks";

/// The IR version a model of `opset` declares (ONNX's versioning table).
int64_t irVersionFor(int opset);

/// Sets `info`'s name and tensor type; symbolic dims become dim_param.
void setValueInfo(onnx::ValueInfoProto& info, const std::string& name, const TensorType& type);

}  // namespace sketch
