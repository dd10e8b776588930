#include "import/onnx_graph.h"

namespace sketch::onnx_import {

const std::string& OnnxGraph::resolve(const std::string& name) const {
  const std::string* current = &name;
  for (auto it = aliases.find(*current); it != aliases.end(); it = aliases.find(*current))
    current = &it->second;
  return *current;
}

const ValueInfo* OnnxGraph::find(const std::string& name) const {
  if (name.empty()) return nullptr;
  auto it = values.find(resolve(name));
  return it == values.end() ? nullptr : &it->second;
}

int OnnxGraph::opsetOf(const std::string& domain) const {
  auto it = opsets.find(domain);
  return it == opsets.end() ? 1 : it->second;
}

const std::vector<const onnx::NodeProto*>& OnnxGraph::consumersOf(const std::string& value) const {
  static const std::vector<const onnx::NodeProto*> kNone;
  auto it = consumers_.find(resolve(value));
  return it == consumers_.end() ? kNone : it->second;
}

const onnx::NodeProto* OnnxGraph::producerOf(const std::string& value) const {
  auto it = producers_.find(resolve(value));
  return it == producers_.end() ? nullptr : it->second;
}

bool OnnxGraph::isGraphOutput(const std::string& value) const {
  for (const auto& o : model->graph().output())
    if (resolve(o.name()) == resolve(value)) return true;
  return false;
}

std::optional<double> OnnxGraph::scalarOperand(const onnx::NodeProto& node,
                                               const std::string& value) const {
  if (node.input_size() != 2) return std::nullopt;
  for (int i = 0; i < 2; ++i) {
    const ValueInfo* v = find(node.input(i));
    if (resolve(node.input(1 - i)) == resolve(value) && v && v->constant &&
        v->constant->numel() == 1)
      return floatElements(*v->constant)[0];
  }
  return std::nullopt;
}

void OnnxGraph::indexNodes() {
  for (const onnx::NodeProto* node : nodes) {
    for (const std::string& in : node->input())
      if (!in.empty()) consumers_[resolve(in)].push_back(node);
    for (const std::string& out : node->output())
      if (!out.empty()) producers_[out] = node;
  }
}

std::string domainOf(const onnx::NodeProto& node) {
  return node.domain() == "ai.onnx" ? "" : node.domain();
}

const onnx::AttributeProto* findAttribute(const onnx::NodeProto& node, const std::string& name) {
  for (const auto& a : node.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

int64_t intAttribute(const onnx::NodeProto& node, const std::string& name, int64_t fallback) {
  const auto* a = findAttribute(node, name);
  return a ? a->i() : fallback;
}

std::vector<int64_t> intsAttribute(const onnx::NodeProto& node, const std::string& name) {
  const auto* a = findAttribute(node, name);
  return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : std::vector<int64_t>{};
}

}  // namespace sketch::onnx_import
