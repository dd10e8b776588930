// importOnnx: the stages in order. Each stage reports through the diagnostics and stops the
// import on errors; unsupported ops are all listed in one diagnostic before anything is
// converted.
#include <cmath>
#include <map>

#include "graph/infer_shapes.h"
#include "import/converter.h"
#include "onnx_ops.h"
#include "onnx/checker.h"
#include "onnx/defs/schema.h"
#include "import/import_onnx.h"
#include "import/raise_written.h"
#include "onnx_kernel.h"
#include "ops/catalogue.h"

namespace sketch {

namespace onnx_import {

namespace {

std::string nodeLabel(const onnx::NodeProto& node) {
  return node.name().empty() ? node.output_size() ? node.output(0) : node.op_type() : node.name();
}

std::string fileStem(const std::string& path) {
  size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = name.rfind('.');
  return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

/// Lists every (domain, op, version) without a converter, with counts and node names; the
/// nodes of blocks raised as written need none.
bool checkSupported(const OnnxGraph& graph, const WrittenBlocks& written,
                    const ImportOptions& options, DiagnosticEngine& diags) {
  std::map<std::string, std::vector<std::string>> missing;
  for (const onnx::NodeProto* node : graph.nodes) {
    if (written.of(node)) continue;
    std::string domain = domainOf(*node);
    int opset = graph.opsetOf(domain);
    if (findReader(domain, node->op_type(), opset)) continue;
    auto since = sinceVersion(domain, node->op_type(), opset);
    std::string key = "'" + node->op_type() + "'" +
                      (domain.empty() ? "" : " of domain '" + domain + "'") +
                      (since ? " version " + std::to_string(*since)
                             : " (no schema in opset " + std::to_string(opset) + ")");
    missing[key].push_back(nodeLabel(*node));
  }
  if (missing.empty() || options.allowUnknown) return true;
  size_t total = 0;
  for (const auto& [key, nodes] : missing) total += nodes.size();
  Diagnostic& d = diags.reportFile(
      diag::UnsupportedOp, graph.path,
      "cannot import " + std::to_string(total) + " node" + (total == 1 ? "" : "s") + " of " +
          std::to_string(missing.size()) + " unsupported op" + (missing.size() == 1 ? "" : "s"));
  for (const auto& [key, nodes] : missing) {
    std::string list;
    for (size_t i = 0; i < nodes.size() && i < 5; ++i) list += (i ? ", '" : "'") + nodes[i] + "'";
    if (nodes.size() > 5) list += ", ...";
    addNote(d, Span{},
            key + ": " + std::to_string(nodes.size()) + " node" + (nodes.size() == 1 ? "" : "s") +
                " (" + list + ")");
  }
  d.help = "--allow-unknown keeps them as opaque blocks";
  return false;
}

/// Keeps a node no converter handles as an Opaque block with its output types.
bool convertOpaque(ConvertContext& ctx) {
  auto inputs = ctx.presentPorts();
  if (!inputs) return false;
  std::vector<Value> types;
  for (int i = 0; i < ctx.node().output_size(); ++i) {
    const TensorType* type = ctx.outputType(i);
    if (!type)
      return ctx.fail("cannot keep it as an opaque block: output " + std::to_string(i) +
                      " has no known type");
    types.push_back(Value::ofString(type->toString()));
  }
  auto id = ctx.emit(
      "Opaque",
      {kw("op_type", Value::ofString(ctx.node().op_type())),
       kw("domain", Value::ofString(ctx.node().domain())), kw("outputs", Value::ofList(types))},
      *inputs);
  if (!id) return false;
  for (int i = 0; i < ctx.node().output_size(); ++i) ctx.setOutput(i, {*id, uint32_t(i)});
  return true;
}

bool addInputs(const OnnxGraph& graph, RaiseState& state, DiagnosticEngine& diags) {
  for (const auto& in : graph.model->graph().input()) {
    const ValueInfo* info = graph.find(in.name());
    if (info && info->initializer) continue;  // IR < 4 lists weights as inputs too
    if (!info || !info->type) {
      diags.reportFile(diag::InputType, graph.path,
                       "graph input '" + in.name() + "' has no tensor type with a shape");
      return false;
    }
    Node node;
    node.id = static_cast<NodeId>(state.graph.nodes.size());
    node.op = catalogue().find("Input");
    node.name = node.path = sanitizeComponent(in.name());
    std::vector<Value> dims;
    for (const Dim& d : info->type->dims)
      dims.push_back(d.isKnown() ? Value::ofInt(d.value()) : Value::ofString(d.toString()));
    node.attrs["dtype"] = Value::ofString(dtypeName(info->type->dtype));
    node.attrs["shape"] = Value::ofList(std::move(dims));
    state.ports[in.name()] = {node.id, 0};
    state.graph.inputs.push_back(node.id);
    state.graph.nodes.push_back(std::move(node));
    state.hints.emplace_back();
  }
  return true;
}

bool raise(const OnnxGraph& graph, const WrittenBlocks& written, RaiseState& state,
           DiagnosticEngine& diags) {
  // Written blocks that write no node (Parameter) come first, so that their readers find
  // them; the others are raised at their first node.
  static const onnx::NodeProto kNoNode;
  for (const WrittenBlock& block : written.blocks) {
    ConvertContext ctx(kNoNode, graph, state, diags);
    if (block.nodes.empty() && !raiseWrittenBlock(ctx, block)) return false;
  }
  bool ok = true;
  for (const onnx::NodeProto* node : graph.nodes) {
    if (state.absorbed.count(node)) continue;
    ConvertContext ctx(*node, graph, state, diags);
    if (const WrittenBlock* block = written.of(node)) {
      if (!raiseWrittenBlock(ctx, *block)) return false;
      continue;
    }
    std::string domain = domainOf(*node);
    const OnnxOp* row = findReader(domain, node->op_type(), graph.opsetOf(domain));
    ok = (row ? row->import(ctx, *row) : convertOpaque(ctx)) && ok;
    if (!ok) return false;  // later nodes would only report missing producers
  }
  return ok;
}

bool addOutputs(const OnnxGraph& graph, RaiseState& state, DiagnosticEngine& diags) {
  std::set<std::string> used;
  for (const auto& out : graph.model->graph().output()) {
    auto it = state.ports.find(graph.resolve(out.name()));
    if (it == state.ports.end()) {
      diags.reportFile(diag::ModelDamaged, graph.path,
                       "graph output '" + out.name() + "' is not computed by any converted node");
      return false;
    }
    std::string name = sanitizeComponent(out.name());
    for (int k = 1; used.count(name); ++k)
      name = sanitizeComponent(out.name()) + "_" + std::to_string(k);
    used.insert(name);
    state.graph.outputs.push_back({name, it->second, Span{}});
  }
  state.graph.hasOutputStatements = true;
  return true;
}

/// Drops nodes no output depends on: what patterns left behind (the Transpose before a
/// batch_first LSTM) and ONNX nodes whose results nothing reads.
void removeDeadNodes(RaiseState& state) {
  Graph& g = state.graph;
  std::vector<bool> live(g.nodes.size(), false);
  std::vector<NodeId> work;
  for (NodeId id : g.inputs) live[id] = true;
  for (const GraphOutput& o : g.outputs) work.push_back(o.source.node);
  while (!work.empty()) {
    NodeId id = work.back();
    work.pop_back();
    if (live[id] && g.node(id).op->name() != "Input") continue;
    live[id] = true;
    for (const auto& link : g.node(id).inputs)
      if (link && !live[link->source.node]) work.push_back(link->source.node);
  }
  std::vector<NodeId> renumbered(g.nodes.size());
  std::vector<Node> nodes;
  std::vector<NameHint> hints;
  for (NodeId id = 0; id < g.nodes.size(); ++id) {
    if (!live[id]) continue;
    renumbered[id] = static_cast<NodeId>(nodes.size());
    nodes.push_back(std::move(g.nodes[id]));
    nodes.back().id = renumbered[id];
    hints.push_back(std::move(state.hints[id]));
  }
  for (Node& n : nodes)
    for (auto& link : n.inputs)
      if (link) link->source.node = renumbered[link->source.node];
  for (NodeId& id : g.inputs) id = renumbered[id];
  for (GraphOutput& o : g.outputs) o.source.node = renumbered[o.source.node];
  std::vector<std::tuple<NodeId, std::string, Tensor>> weights;
  for (auto& [id, name, tensor] : state.weights)
    if (live[id]) weights.emplace_back(renumbered[id], std::move(name), std::move(tensor));
  g.nodes = std::move(nodes);
  state.hints = std::move(hints);
  state.weights = std::move(weights);
}

/// Checks the collected weights against the parameters the ops declare, and fills buffers
/// ONNX has no counterpart for (BatchNorm's num_batches_tracked).
bool collectWeights(const OnnxGraph& graph, RaiseState& state, WeightStore& weights,
                    DiagnosticEngine& diags) {
  std::map<std::string, const ParamSpec*> declared;
  std::map<std::string, NodeId> owner;
  for (const Node& node : state.graph.nodes)
    for (const ParamSpec& p : node.params) {
      std::string key = p.name.empty() ? node.path : node.path + "." + p.name;
      declared[key] = &p;
      owner[key] = node.id;
    }
  bool ok = true;
  for (auto& [id, param, tensor] : state.weights) {
    const Node& node = state.graph.node(id);
    std::string key = param.empty() ? node.path : node.path + "." + param;
    auto it = declared.find(key);
    if (it == declared.end() || it->second->shape != tensor.shape()) {
      diags.reportFile(diag::ModelWeight, graph.path,
                       "weight '" + key + "' " + tensor.shapeString() + " does not match " +
                           node.op->name() + " '" + node.path + "'");
      ok = false;
      continue;
    }
    weights.insert(key, tensor);
  }
  for (const auto& [key, spec] : declared) {
    if (weights.contains(key)) continue;
    if (!spec->buffer) {
      diags.reportFile(diag::ModelWeight, graph.path, "no weight for '" + key + "'");
      ok = false;
      continue;
    }
    weights.insert(key, *Tensor::zeros(spec->dtype, spec->shape));
  }
  return ok;
}

/// Attribute values that are damage rather than settings, refused before anything reads
/// them: NaN or infinity (a sketch has no literal for them, and no layer wants one as
/// epsilon or alpha; Constants are data, an attention mask holds -inf, and are left alone),
/// and strides, dilations or groups below 1, which libonnx's shape inference divides by.
bool checkAttributeValues(const OnnxGraph& graph, DiagnosticEngine& diags) {
  bool ok = true;
  for (const auto& node : graph.model->graph().node()) {
    if (node.op_type() == "Constant") continue;
    for (const auto& a : node.attribute()) {
      bool finite = std::isfinite(a.f());
      for (float f : a.floats()) finite = finite && std::isfinite(f);
      bool divisor = a.name() == "strides" || a.name() == "dilations" || a.name() == "group";
      bool positive = !divisor || (a.name() == "group" ? a.i() >= 1 : true);
      for (int64_t i : a.ints()) positive = positive && (!divisor || i >= 1);
      if (finite && positive) continue;
      diags.reportFile(diag::ModelDamaged, graph.path,
                       node.op_type() + " node '" + node.name() + "': attribute '" + a.name() +
                           (finite ? "' must be at least 1" : "' is not a finite number"));
      ok = false;
    }
  }
  return ok;
}

/// Each node's input and output counts and attributes as its op's schema defines them, as
/// onnx's checker verifies them: converters index the ports a schema requires without
/// checking. Ops without a schema are left to checkSupported.
bool checkNodeSignatures(const OnnxGraph& graph, DiagnosticEngine& diags) {
  bool ok = true;
  for (const auto& node : graph.model->graph().node()) {
    std::string domain = domainOf(node);
    const onnx::OpSchema* schema =
        onnx::OpSchemaRegistry::Schema(node.op_type(), graph.opsetOf(domain), domain);
    if (!schema) continue;
    try {
      schema->Verify(node);
    } catch (const onnx::checker::ValidationError& e) {
      diags.reportFile(diag::ModelDamaged, graph.path,
                       node.op_type() + " node '" + nodeLabel(node) + "': " + e.what());
      ok = false;
    }
  }
  return ok;
}

}  // namespace

std::optional<ImportedModel> importOnnxModel(OnnxFile file, const std::string& path,
                                             const ImportOptions& options,
                                             DiagnosticEngine& diags) {
  auto graph = loadOnnxModel(std::move(file), path, diags);
  if (!graph || !checkNodeSignatures(*graph, diags) || !checkAttributeValues(*graph, diags))
    return std::nullopt;
  inferOnnxShapes(*graph);
  WrittenBlocks written = findWrittenBlocks(*graph);
  std::set<const onnx::NodeProto*> keep;
  for (const auto& [node, block] : written.byNode) keep.insert(node);
  if (!normaliseOnnx(*graph, keep, diags) || !checkSupported(*graph, written, options, diags))
    return std::nullopt;
  RaiseState state;
  state.graph.name = sanitizeComponent(fileStem(path));
  if (!addInputs(*graph, state, diags) || !raise(*graph, written, state, diags) ||
      !addOutputs(*graph, state, diags))
    return std::nullopt;
  removeDeadNodes(state);
  assignPaths(state);
  if (!inferImportedShapes(state.graph, path, diags) || diags.hasErrors()) return std::nullopt;
  ImportedModel imported;
  if (!collectWeights(*graph, state, imported.weights, diags)) return std::nullopt;
  imported.graph = std::move(state.graph);
  return imported;
}

}  // namespace onnx_import

std::optional<ImportedModel> importOnnx(const std::string& path, const ImportOptions& options,
                                        DiagnosticEngine& diags) {
  auto file = onnx_import::readOnnxFile(path, diags);
  if (!file) return std::nullopt;
  return onnx_import::importOnnxModel(std::move(*file), path, options, diags);
}

}  // namespace sketch
