#include "build_graph.h"

#include <map>
#include <set>

#include "core/value_json.h"
#include "emitters.h"

namespace sketch {

namespace {

/// Names every port's value: the block path (`layer1.0.relu`), or the port as the language
/// names it (`lstm.h_n`) for nodes with several outputs. A name that a graph output takes
/// for another value moves aside, so outputs keep the sketch's names.
void nameValues(ExportState& state) {
  const Graph& g = *state.graph;
  std::map<std::string, PortRef> outputSources;
  for (const GraphOutput& out : g.outputs) outputSources.emplace(out.name, out.source);
  for (const Node& node : g.nodes) {
    for (size_t port = 0; port < node.outputs.size(); ++port) {
      PortRef ref{node.id, static_cast<uint32_t>(port)};
      std::string name = node.outputs.size() == 1 ? node.path : g.portName(ref);
      auto taken = outputSources.find(name);
      if (taken != outputSources.end() && !(taken->second == ref)) name += "/value";
      state.portValues[ref] = name;
      state.valueNames.insert(name);
    }
  }
  for (const GraphOutput& out : g.outputs) state.valueNames.insert(out.name);
}

void setDims(onnx::TensorShapeProto& shape, const TensorType& type) {
  for (const Dim& d : type.dims) {
    onnx::TensorShapeProto_Dimension& dim = *shape.add_dim();
    if (d.isKnown())
      dim.set_dim_value(d.value());
    else
      dim.set_dim_param(d.toString());
  }
}

void emitNodes(ExportState& state) {
  const Graph& g = *state.graph;
  for (NodeId id : g.topologicalOrder()) {
    const Node& node = g.node(id);
    const OnnxOp* row = onnxOps().writer(node.op->name());
    if (!row) continue;  // Input: a graph input
    EmitContext ctx(state, node);
    row->emit(ctx, *row);
    ctx.finish();
  }
}

/// Graph outputs under the sketch's names: an Identity named after the output when the
/// producing value has another name.
void addOutputs(ExportState& state) {
  const Graph& g = *state.graph;
  for (const GraphOutput& out : g.outputs) {
    const std::string& value = state.portValues.at(out.source);
    if (value != out.name) {
      onnx::NodeProto& n = *state.proto->add_node();
      n.set_name(out.name);
      n.set_op_type("Identity");
      n.add_input(value);
      n.add_output(out.name);
    }
    setValueInfo(*state.proto->add_output(), out.name, g.typeOf(out.source));
  }
}

/// Every inferred type of a value some node produces, so that viewers show shapes on edges.
void addValueInfo(ExportState& state) {
  std::set<std::string> produced, outputs;
  for (const onnx::NodeProto& n : state.proto->node())
    for (const std::string& out : n.output()) produced.insert(out);
  for (const onnx::ValueInfoProto& out : state.proto->output()) outputs.insert(out.name());
  for (const auto& [ref, name] : state.portValues) {
    if (!produced.count(name) || outputs.count(name)) continue;
    setValueInfo(*state.proto->add_value_info(), name, state.graph->typeOf(ref));
  }
}

}  // namespace

int64_t irVersionFor(int opset) { return opset <= 14 ? 7 : 8; }

void setValueInfo(onnx::ValueInfoProto& info, const std::string& name, const TensorType& type) {
  info.set_name(name);
  onnx::TypeProto_Tensor& tensor = *info.mutable_type()->mutable_tensor_type();
  tensor.set_elem_type(onnxType(type.dtype));
  setDims(*tensor.mutable_shape(), type);
}

std::optional<EmittedBlock> emitBlock(const Graph& graph, NodeId id, const WeightStore& weights,
                                      int opset, const std::map<PortRef, std::string>& portValues) {
  const Node& node = graph.node(id);
  const OnnxOp* row = onnxOps().writer(node.op->name());
  if (!row) return std::nullopt;
  EmittedBlock block;
  ExportState state;
  state.graph = &graph;
  state.weights = &weights;
  state.opset = opset;
  state.proto = &block.graph;
  state.portValues = portValues;
  for (const auto& [port, name] : portValues) state.valueNames.insert(name);
  EmitContext ctx(state, node);
  row->emit(ctx, *row);
  ctx.finish();
  if (!state.failures.empty()) return std::nullopt;
  block.initializers = std::move(state.initializers);
  return block;
}

std::string writtenBlocks(const ExportState& state) {
  const Graph& g = *state.graph;
  nlohmann::json blocks = nlohmann::json::array();
  for (NodeId id : g.topologicalOrder()) {
    const Node& node = g.node(id);
    if (isGraphInput(node)) continue;
    nlohmann::json attrs = nlohmann::json::object(), inputs = nlohmann::json::array(),
                   outputs = nlohmann::json::array();
    for (const auto& [name, value] : node.attrs) attrs[name] = valueToJson(value);
    for (const auto& link : node.inputs)
      inputs.push_back(link ? state.portValues.at(link->source) : std::string());
    for (uint32_t port = 0; port < node.outputs.size(); ++port)
      outputs.push_back(state.portValues.at({id, port}));
    blocks.push_back({{"path", node.path},
                      {"op", node.op->name()},
                      {"attrs", attrs},
                      {"inputs", inputs},
                      {"outputs", outputs}});
  }
  return blocks.dump();
}

void buildGraph(ExportState& state) {
  const Graph& g = *state.graph;
  state.proto->set_name(g.name);
  nameValues(state);
  for (NodeId id : g.inputs)
    setValueInfo(*state.proto->add_input(), state.portValues.at({id, 0}), g.node(id).outputs[0]);
  emitNodes(state);
  if (!state.failures.empty()) return;
  addOutputs(state);
  addValueInfo(state);
}

}  // namespace sketch
