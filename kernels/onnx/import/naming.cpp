// Readable names: PyTorch module paths recovered from torch.onnx.export's node scopes and
// weight names, made into identifiers the language accepts and deduplicated.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "import/converter.h"

namespace sketch::onnx_import {

namespace {

bool isInteger(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(c); });
}

}  // namespace

std::string sanitizeComponent(const std::string& part) {
  if (isInteger(part)) return part;
  std::string out;
  for (char c : part) out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "_" + out;
  static const std::set<std::string> kKeywords = {"sketch", "input", "output", "weights",
                                                  "block",  "true",  "True",   "false",
                                                  "False",  "none",  "None"};
  if (kKeywords.count(out)) out += "_";
  return out;
}

namespace {

std::string sanitizePath(const std::string& path) {
  std::string out;
  size_t begin = 0;
  while (begin <= path.size()) {
    size_t dot = path.find('.', begin);
    if (dot == std::string::npos) dot = path.size();
    if (dot > begin)
      out += (out.empty() ? "" : ".") + sanitizeComponent(path.substr(begin, dot - begin));
    begin = dot + 1;
  }
  return out;
}

std::string lastComponent(const std::string& path) {
  size_t dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

/// `base`, or `base_1`, `base_2`, ... whichever is free.
std::string unique(const std::string& base, std::set<std::string>& used) {
  std::string name = base;
  for (int k = 1; used.count(name); ++k) name = base + "_" + std::to_string(k);
  used.insert(name);
  return name;
}

}  // namespace

std::string scopePath(const std::string& nodeName) {
  if (nodeName.empty() || nodeName[0] != '/') return "";
  std::vector<std::string> parts;
  size_t begin = 1;
  while (begin < nodeName.size()) {
    size_t slash = nodeName.find('/', begin);
    if (slash == std::string::npos) break;  // the last part names the op, not a module
    parts.push_back(nodeName.substr(begin, slash - begin));
    begin = slash + 1;
  }
  // torch writes a Sequential child as `layer1.0` under `layer1`, and other children by
  // their attribute name: `/layer1/layer1.0/conv1` is layer1.0.conv1.
  std::string path, previous;
  for (const std::string& part : parts) {
    if (!previous.empty() && part.rfind(previous + ".", 0) == 0) {
      path = path.substr(0, path.size() - previous.size()) + part;
    } else {
      path += (path.empty() ? "" : ".") + part;
    }
    previous = part;
  }
  return sanitizePath(path);
}

std::string blockPath(const std::string& nodeName) {
  return sanitizePath(nodeName.substr(0, nodeName.find('/')));
}

std::string ConvertContext::scope() const {
  bool ours = graph_.model && graph_.model->producer_name() == "sketchc";
  return ours ? blockPath(node_.name()) : scopePath(node_.name());
}

void assignPaths(RaiseState& state) {
  Graph& graph = state.graph;
  std::set<std::string> used;
  for (NodeId id : graph.inputs) used.insert(graph.node(id).path);
  std::map<std::string, int> nodesInScope;
  std::set<std::string> enclosing;  // scopes that contain deeper nodes
  auto addEnclosing = [&](const std::string& path) {
    for (size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', dot + 1))
      enclosing.insert(path.substr(0, dot));
  };
  for (const NameHint& hint : state.hints) {
    std::string exact = sanitizePath(hint.exact);
    if (!exact.empty())
      addEnclosing(exact);
    else
      nodesInScope[hint.scope]++;
    if (!hint.scope.empty()) addEnclosing(hint.scope);
  }
  // Paths from weight names first: they are the state_dict keys and must not be displaced.
  for (bool fromWeights : {true, false}) {
    for (size_t id = 0; id < graph.nodes.size(); ++id) {
      Node& node = graph.nodes[id];
      const NameHint& hint = state.hints[id];
      std::string exact = sanitizePath(hint.exact);
      if (node.op->name() == "Input" || exact.empty() != !fromWeights) continue;
      if (fromWeights) {
        node.path = unique(exact, used);
      } else if (!hint.scope.empty() && nodesInScope[hint.scope] == 1 &&
                 !enclosing.count(hint.scope) && !used.count(hint.scope)) {
        node.path = unique(hint.scope, used);
      } else {
        std::string local = sanitizeComponent(hint.local);
        node.path = unique(hint.scope.empty() ? local : hint.scope + "." + local, used);
      }
      node.name = lastComponent(node.path);
    }
  }
}

}  // namespace sketch::onnx_import
