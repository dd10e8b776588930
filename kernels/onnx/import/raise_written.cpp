#include "import/raise_written.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <map>

#include "core/value_json.h"
#include "export/build_graph.h"
#include "graph/infer_shapes.h"
#include "kernel/imported_graph.h"
#include "ops/catalogue.h"

namespace sketch::onnx_import {

namespace {

const nlohmann::json* findRecords(const OnnxGraph& graph, nlohmann::json& storage) {
  for (const auto& entry : graph.model->metadata_props()) {
    if (entry.key() != kWrittenBlocksKey) continue;
    storage = nlohmann::json::parse(entry.value(), nullptr, /*allow_exceptions=*/false);
    return storage.is_array() ? &storage : nullptr;
  }
  return nullptr;
}

/// The file's nodes by the block path their names start with (the exporter names a block's
/// nodes `layer1.0.conv`, `layer1.0.conv/Mul_2`; paths hold no '/'), and who reads each value.
struct FileIndex {
  std::unordered_map<std::string, std::vector<const onnx::NodeProto*>> byPath;
  std::unordered_map<std::string, std::vector<const onnx::NodeProto*>> readers;
  std::set<std::string> graphOutputs;

  explicit FileIndex(const onnx::GraphProto& graph) {
    for (const onnx::NodeProto& n : graph.node()) {
      byPath[n.name().substr(0, n.name().find('/'))].push_back(&n);
      for (const std::string& in : n.input()) readers[in].push_back(&n);
    }
    for (const auto& out : graph.output()) graphOutputs.insert(out.name());
  }
};

std::vector<std::string> strings(const nlohmann::json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const auto& item : list) out.push_back(item.is_string() ? item.get<std::string>() : "");
  return out;
}

std::optional<WrittenBlock> blockOf(const nlohmann::json& record) {
  if (!record.is_object() || !record.contains("path") || !record["path"].is_string() ||
      !record.contains("op") || !record["op"].is_string() || !record.contains("attrs") ||
      !record["attrs"].is_object())
    return std::nullopt;
  WrittenBlock block;
  block.path = record["path"].get<std::string>();
  block.op = catalogue().find(record["op"].get<std::string>());
  if (!block.op || block.op->category() == "input" || block.path.empty()) return std::nullopt;
  for (const auto& [name, value] : record["attrs"].items()) block.attrs[name] = valueFromJson(value);
  block.inputs = strings(record.value("inputs", nlohmann::json()));
  block.outputs = strings(record.value("outputs", nlohmann::json()));
  return block;
}

std::vector<CallArgument> argumentsOf(const WrittenBlock& block) {
  std::vector<CallArgument> args;
  for (const auto& [name, value] : block.attrs) args.push_back({name, value});
  return args;
}

/// The block alone: an Input per value it reads, typed as the file types it, then the block.
struct Rebuilt {
  Graph graph;
  NodeId node = 0;
  std::map<PortRef, std::string> portValues;
  WeightStore weights;
};

std::optional<Rebuilt> rebuildGraph(const OnnxGraph& file, const WrittenBlock& block) {
  Rebuilt r;
  SourceManager sources;
  DiagnosticEngine quiet(sources);
  std::vector<std::optional<PortRef>> inputs;
  for (size_t i = 0; i < block.inputs.size(); ++i) {
    const std::string& value = block.inputs[i];
    if (value.empty()) {
      inputs.push_back(std::nullopt);
      continue;
    }
    const ValueInfo* info = file.find(value);
    if (!info || !info->type) return std::nullopt;
    auto [dtype, shape] = inputAttrs(*info->type);
    auto in = addImportedNode(r.graph, "Input", "<input " + std::to_string(i) + ">",
                              {{"dtype", Value::ofString(dtype)}, {"shape", shape}}, {},
                              file.path, quiet);
    if (!in) return std::nullopt;
    r.portValues[*in] = value;
    inputs.push_back(*in);
  }
  // An edited record may leave out inputs the op needs: its node would have no shapes.
  const std::vector<PortDef>& ports = block.op->inputs();
  for (size_t i = 0; i < ports.size(); ++i)
    if (!ports[i].optional && !ports[i].variadic && (i >= inputs.size() || !inputs[i]))
      return std::nullopt;
  auto out = addImportedNode(r.graph, block.op->name(), block.path, argumentsOf(block), inputs,
                             file.path, quiet);
  if (!out || !inferShapes(r.graph, quiet) || quiet.hasErrors()) return std::nullopt;
  r.node = out->node;
  const Node& node = r.graph.node(r.node);
  if (node.outputs.size() != block.outputs.size()) return std::nullopt;
  for (uint32_t i = 0; i < node.outputs.size(); ++i) r.portValues[{r.node, i}] = block.outputs[i];
  return r;
}

std::string paramName(const std::string& path, const ParamSpec& p) {
  return p.name.empty() ? path : path + "." + p.name;
}

/// A tensor of `dtype` whose element i holds the integer `first + i` in its bytes.
std::optional<Tensor> markers(DType dtype, const std::vector<int64_t>& shape, uint64_t first) {
  std::optional<Tensor> t = Tensor::zeros(dtype, shape);
  if (!t) return std::nullopt;
  size_t size = dtypeSize(dtype);
  for (int64_t i = 0; i < t->numel(); ++i) {
    uint64_t marker = first + uint64_t(i);
    std::memcpy(t->mutableData() + size_t(i) * size, &marker, size);  // little-endian
  }
  return t;
}

struct Unknown {
  const ParamSpec* spec;
  uint64_t first;  // the marker of its element 0
};

/// The value of parameter `u` read from the file wherever the marker pass put its elements;
/// nothing when an element lands nowhere, zeros for a buffer the format has no place for
/// (BatchNorm's num_batches_tracked).
std::optional<Tensor> recovered(const OnnxGraph& file, const Unknown& u,
                                const EmittedBlock& marked) {
  Tensor value = *Tensor::zeros(u.spec->dtype, u.spec->shape);
  size_t size = dtypeSize(u.spec->dtype), count = size_t(value.numel());
  std::vector<bool> found(count, false);
  for (const Initializer& init : marked.initializers) {
    const ValueInfo* info = file.find(init.name);
    if (init.tensor.dtype() != u.spec->dtype || !info || !info->constant ||
        info->constant->byteSize() != init.tensor.byteSize())
      continue;
    for (int64_t k = 0; k < init.tensor.numel(); ++k) {
      uint64_t marker = 0;
      std::memcpy(&marker, init.tensor.data() + size_t(k) * size, size);
      if (marker < u.first || marker - u.first >= count) continue;
      size_t element = size_t(marker - u.first);
      std::memcpy(value.mutableData() + element * size, info->constant->data() + size_t(k) * size,
                  size);
      found[element] = true;
    }
  }
  if (std::all_of(found.begin(), found.end(), [](bool f) { return f; })) return value;
  if (u.spec->buffer) return *Tensor::zeros(u.spec->dtype, u.spec->shape);
  return std::nullopt;
}

/// The block's parameters: the file's initializers of their names, or recovered from the
/// tensors the exporter derived from them (see the header).
bool recoverParams(const OnnxGraph& file, WrittenBlock& block, Rebuilt& r) {
  const Node& node = r.graph.node(r.node);
  std::vector<Unknown> unknown;
  uint64_t next = 1;
  for (const ParamSpec& p : node.params) {
    std::string name = paramName(block.path, p);
    const ValueInfo* info = file.find(name);
    if (info && info->initializer && info->weightName.empty() &&
        info->constant->shape() == p.shape && info->constant->dtype() == p.dtype) {
      r.weights.insert(name, *info->constant);
      continue;
    }
    std::optional<Tensor> marked = markers(p.dtype, p.shape, next);
    if (!marked) return false;
    unknown.push_back({&p, next});
    next += uint64_t(marked->numel());
    r.weights.insert(name, *marked);
  }
  if (!unknown.empty()) {
    std::optional<EmittedBlock> marked =
        emitBlock(r.graph, r.node, r.weights, file.opset, r.portValues);
    if (!marked) return false;
    for (const Unknown& u : unknown) {
      std::optional<Tensor> value = recovered(file, u, *marked);
      if (!value) return false;
      r.weights.set(paramName(block.path, *u.spec), *value);
    }
  }
  for (const ParamSpec& p : node.params)
    block.params.emplace_back(p.name, *r.weights.find(paramName(block.path, p)));
  return true;
}

bool sameTensor(const Tensor& a, const Tensor& b) {
  return a.dtype() == b.dtype() && a.shape() == b.shape() &&
         (a.byteSize() == 0 || std::memcmp(a.data(), b.data(), a.byteSize()) == 0);
}

bool sameAttributes(const onnx::NodeProto& a, const onnx::NodeProto& b) {
  if (a.attribute_size() != b.attribute_size()) return false;
  for (const auto& expected : b.attribute()) {
    const auto* found = findAttribute(a, expected.name());
    if (!found || found->SerializeAsString() != expected.SerializeAsString()) return false;
  }
  return true;
}

/// Whether the file's nodes for the block are exactly `emitted`; fills block.nodes.
bool matches(const OnnxGraph& file, const FileIndex& index, WrittenBlock& block,
             const EmittedBlock& emitted) {
  static const std::vector<const onnx::NodeProto*> kNone;  // a Parameter writes no node
  auto written = index.byPath.find(block.path);
  const std::vector<const onnx::NodeProto*>& nodes =
      written == index.byPath.end() ? kNone : written->second;
  if (int(nodes.size()) != emitted.graph.node_size()) return false;
  std::map<std::string, const Tensor*> derived;
  for (const Initializer& init : emitted.initializers) derived[init.name] = &init.tensor;
  for (const auto& [param, tensor] : block.params)
    derived.erase(param.empty() ? block.path : block.path + "." + param);
  for (int i = 0; i < emitted.graph.node_size(); ++i) {
    const onnx::NodeProto& a = *nodes[i];
    const onnx::NodeProto& b = emitted.graph.node(i);
    if (a.op_type() != b.op_type() || domainOf(a) != domainOf(b) || a.name() != b.name() ||
        a.input_size() != b.input_size() || a.output_size() != b.output_size() ||
        !sameAttributes(a, b))
      return false;
    for (int k = 0; k < a.input_size(); ++k) {
      if (a.input(k) != b.input(k)) return false;
      auto d = derived.find(b.input(k));
      if (d == derived.end()) continue;
      const ValueInfo* info = file.find(a.input(k));
      if (!info || !info->constant || !sameTensor(*info->constant, *d->second)) return false;
    }
    for (int k = 0; k < a.output_size(); ++k)
      if (a.output(k) != b.output(k)) return false;
  }
  // Values the block computes on the way are its own: nothing else may read them.
  std::set<const onnx::NodeProto*> own(nodes.begin(), nodes.end());
  std::set<std::string> exits(block.outputs.begin(), block.outputs.end());
  for (const onnx::NodeProto* n : nodes)
    for (const std::string& out : n->output()) {
      if (exits.count(out)) continue;
      if (index.graphOutputs.count(out)) return false;
      auto readers = index.readers.find(out);
      if (readers == index.readers.end()) continue;
      for (const onnx::NodeProto* reader : readers->second)
        if (!own.count(reader)) return false;
    }
  block.nodes = std::move(own);
  return true;
}

}  // namespace

const WrittenBlock* WrittenBlocks::of(const onnx::NodeProto* node) const {
  auto it = byNode.find(node);
  return it == byNode.end() ? nullptr : &blocks[it->second];
}

WrittenBlocks findWrittenBlocks(const OnnxGraph& graph) {
  nlohmann::json storage;
  const nlohmann::json* records = findRecords(graph, storage);
  WrittenBlocks found;
  if (!records) return found;
  FileIndex index(graph.model->graph());
  for (const auto& record : *records) {
    std::optional<WrittenBlock> block = blockOf(record);
    if (!block) continue;
    std::optional<Rebuilt> rebuilt = rebuildGraph(graph, *block);
    if (!rebuilt || !recoverParams(graph, *block, *rebuilt)) continue;
    std::optional<EmittedBlock> emitted =
        emitBlock(rebuilt->graph, rebuilt->node, rebuilt->weights, graph.opset, rebuilt->portValues);
    if (!emitted || !matches(graph, index, *block, *emitted)) continue;
    for (const onnx::NodeProto* n : block->nodes) found.byNode[n] = found.blocks.size();
    found.blocks.push_back(std::move(*block));
  }
  return found;
}

bool raiseWrittenBlock(ConvertContext& ctx, const WrittenBlock& block) {
  std::vector<PortRef> inputs;
  for (size_t i = 0; i < block.inputs.size(); ++i) {
    if (block.inputs[i].empty()) {
      // An unlinked port before a linked one cannot be expressed by position.
      for (size_t k = i; k < block.inputs.size(); ++k)
        if (!block.inputs[k].empty()) return ctx.fail("has an unlinked input before a linked one");
      break;
    }
    auto port = ctx.portOf(ctx.onnx().resolve(block.inputs[i]));
    if (!port) return false;
    inputs.push_back(*port);
  }
  NameHint hint;
  hint.exact = block.path;
  auto id = ctx.emit(block.op->name(), argumentsOf(block), inputs, hint);
  if (!id) return false;
  for (const auto& [param, tensor] : block.params) ctx.setWeight(*id, param, tensor);
  for (size_t i = 0; i < block.outputs.size(); ++i) {
    ctx.bindValue(block.outputs[i], {*id, uint32_t(i)});
    ctx.bindValue(ctx.onnx().resolve(block.outputs[i]), {*id, uint32_t(i)});
  }
  for (const onnx::NodeProto* n : block.nodes) ctx.absorb(*n);
  return true;
}

}  // namespace sketch::onnx_import
