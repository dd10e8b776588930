#include "graph/graph_diff.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>


namespace sketch {

namespace {

// Floats at float32 precision: ONNX stores attributes as float32 (BatchNorm's momentum
// 0.1 comes back as 0.09999999999999998).
std::string canonicalText(const Value& value) {
  if (value.isFloat()) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value.asNumber());
    return text;
  }
  if (!value.isList()) return value.toString();
  std::string s = "(";
  for (const Value& item : value.asList()) s += (s.size() > 1 ? ", " : "") + canonicalText(item);
  return s + ")";
}

// An attribute as the op reads it: an IntN int is the tuple it stands for, and a Float
// attribute given as an int is that float. Untyped attributes follow the same PyTorch
// convention (output_size=1 is (1, 1)): a tuple repeating one int is that int.
std::string canonical(const Node& node, const std::string& name, const Value& value) {
  const AttrDef* def = node.op->findAttr(name);
  if (def && def->type == AttrType::IntN && value.isInt() && def->rank > 0)
    return canonicalText(Value::ofInts(std::vector<int64_t>(def->rank, value.asInt())));
  if (def && def->type == AttrType::Any && value.isIntList() && !value.asList().empty()) {
    std::vector<int64_t> items = value.asInts();
    if (std::all_of(items.begin(), items.end(), [&](int64_t i) { return i == items[0]; }))
      return canonicalText(Value::ofInt(items[0]));
  }
  if (def && def->type == AttrType::Float && value.isInt()) return canonicalText(Value::ofFloat(value.asNumber()));
  return canonicalText(value);
}

std::vector<std::string> changedAttrs(const Node& before, const Node& after) {
  std::set<std::string> names;
  for (const auto& [name, value] : before.attrs) names.insert(name);
  for (const auto& [name, value] : after.attrs) names.insert(name);
  std::vector<std::string> changed;
  for (const std::string& name : names) {
    auto b = before.attrs.find(name), a = after.attrs.find(name);
    bool same = b != before.attrs.end() && a != after.attrs.end() &&
                canonical(before, name, b->second) == canonical(after, name, a->second);
    if (!same) changed.push_back(name);
  }
  return changed;
}

// What a block is, apart from its path and links.
std::string signature(const Node& node) {
  std::string s = node.op->name() + "(";
  for (const auto& [name, value] : node.attrs) s += name + "=" + canonical(node, name, value) + ";";
  return s + ") " + outputTypes(node);
}

NodeChange compareNodes(const Node& before, const Node& after) {
  NodeChange change;
  change.before = &before;
  change.after = &after;
  change.renamed = before.path != after.path;
  change.opChanged = before.op->name() != after.op->name();
  change.attrs = changedAttrs(before, after);
  change.outputsChanged = outputTypes(before) != outputTypes(after);
  return change;
}

// Pairs the blocks of two graphs: by path, then by what they are (see the header).
class Matcher {
 public:
  Matcher(const Graph& before, const Graph& after) : before_(before), after_(after) {
    forward_.assign(before.nodes.size(), nullptr);
    backward_.assign(after.nodes.size(), nullptr);
    std::map<std::string, const Node*> byPath;
    for (const Node& n : after.nodes) byPath[n.path] = &n;
    for (const Node& n : before.nodes)
      if (auto it = byPath.find(n.path); it != byPath.end()) pair(n, *it->second);
  }

  void matchByStructure() {
    std::map<std::string, std::vector<const Node*>> beforeBySignature, afterBySignature;
    std::vector<std::string> signatures(before_.nodes.size());
    for (const Node& n : before_.nodes)
      if (!forward_[n.id]) beforeBySignature[signatures[n.id] = signature(n)].push_back(&n);
    for (const Node& n : after_.nodes)
      if (!backward_[n.id]) afterBySignature[signature(n)].push_back(&n);
    // Producers come first, so one pass matches a chain; later passes catch what a
    // match further down made unambiguous.
    std::vector<NodeId> order = before_.topologicalOrder();
    for (bool progress = true; progress;) {
      progress = false;
      for (NodeId id : order) {
        const Node& a = before_.node(id);
        if (forward_[id]) continue;
        const Node* b =
            onlyCandidate(a, afterBySignature[signatures[id]], beforeBySignature[signatures[id]]);
        if (b) progress = pair(a, *b);
      }
    }
  }

  const Node* partner(const Node& before) const { return forward_[before.id]; }
  const Node* partnerOf(const Node& after) const { return backward_[after.id]; }

 private:
  bool pair(const Node& a, const Node& b) {
    forward_[a.id] = &b;
    backward_[b.id] = &a;
    return true;
  }

  bool inputsCorrespond(const Node& a, const Node& b) const {
    if (a.inputs.size() != b.inputs.size()) return false;
    for (size_t i = 0; i < a.inputs.size(); ++i) {
      if (!a.inputs[i] || !b.inputs[i]) {
        if (a.inputs[i] || b.inputs[i]) return false;
        continue;
      }
      const Node* source = forward_[a.inputs[i]->source.node];
      if (!source || source->id != b.inputs[i]->source.node ||
          a.inputs[i]->source.port != b.inputs[i]->source.port)
        return false;
    }
    return true;
  }

  // The one unmatched look-alike fed by the same blocks, if `a` is also its only one; else
  // the one unmatched look-alike at all, if there is exactly one on each side.
  const Node* onlyCandidate(const Node& a, const std::vector<const Node*>& afterSame,
                            const std::vector<const Node*>& beforeSame) const {
    auto unmatchedAfter = [&](const Node* b) { return !backward_[b->id]; };
    auto unmatchedBefore = [&](const Node* x) { return !forward_[x->id]; };
    const Node* found = nullptr;
    for (const Node* b : afterSame) {
      if (!unmatchedAfter(b) || !inputsCorrespond(a, *b)) continue;
      if (found) return nullptr;
      found = b;
    }
    if (found) {
      for (const Node* other : beforeSame)
        if (other != &a && unmatchedBefore(other) && inputsCorrespond(*other, *found)) return nullptr;
      return found;
    }
    auto count = [](const std::vector<const Node*>& v, auto&& pred) { return std::count_if(v.begin(), v.end(), pred); };
    if (count(afterSame, unmatchedAfter) != 1 || count(beforeSame, unmatchedBefore) != 1) return nullptr;
    return *std::find_if(afterSame.begin(), afterSame.end(), unmatchedAfter);
  }

  const Graph& before_;
  const Graph& after_;
  std::vector<const Node*> forward_;   // by NodeId of `before_`
  std::vector<const Node*> backward_;  // by NodeId of `after_`
};

// A block's input port as a link target: the bare path for single-input ops, as the
// language lets one write it, else `path.port`.
std::string targetName(const Node& node, size_t port, const std::string& path) {
  const std::vector<PortDef>& ports = node.op->inputs();
  if (ports.size() == 1 && !node.op->hasVariadicInput()) return path;
  if (node.op->hasVariadicInput() && port + 1 >= ports.size())
    return path + "." + ports.back().name + "." + std::to_string(port + 1 - ports.size());
  return path + "." + ports[port].name;
}

// Every link of `graph` as text, each block named by `pathOf`.
template <typename PathOf>
std::set<std::string> links(const Graph& graph, PathOf pathOf) {
  auto source = [&](PortRef ref) {
    const Node& node = graph.node(ref.node);
    return pathOf(node) + graph.portName(ref).substr(node.path.size());
  };
  std::set<std::string> out;
  for (const Node& node : graph.nodes)
    for (size_t i = 0; i < node.inputs.size(); ++i)
      if (node.inputs[i])
        out.insert(source(node.inputs[i]->source) + " -> " + targetName(node, i, pathOf(node)));
  for (const GraphOutput& o : graph.outputs) out.insert(source(o.source) + " -> output " + o.name);
  return out;
}

bool onlyLabelChanged(const NodeChange& c) {
  return c.renamed && !c.opChanged && c.attrs.empty() && !c.outputsChanged && c.before->params.empty();
}

}  // namespace

std::string outputTypes(const Node& node) {
  std::string s;
  for (const TensorType& t : node.outputs) s += (s.empty() ? "" : ", ") + t.toString();
  return s;
}

GraphDiff diffGraphs(const Graph& before, const Graph& after) {
  Matcher matcher(before, after);
  matcher.matchByStructure();
  GraphDiff diff;
  for (const Node& n : before.nodes)
    if (!matcher.partner(n)) diff.removed.push_back(&n);
  for (const Node& n : after.nodes) {
    const Node* old = matcher.partnerOf(n);
    if (!old) {
      diff.added.push_back(&n);
      continue;
    }
    NodeChange change = compareNodes(*old, n);
    if (onlyLabelChanged(change)) diff.relabeled.push_back(change);
    else if (change.renamed || change.opChanged || !change.attrs.empty() || change.outputsChanged)
      diff.changed.push_back(change);
  }
  // Links of the first graph are named as the second graph names the same blocks.
  std::set<std::string> linksBefore = links(before, [&](const Node& n) {
    const Node* partner = matcher.partner(n);
    return partner ? partner->path : n.path;
  });
  std::set<std::string> linksAfter = links(after, [](const Node& n) { return n.path; });
  std::set_difference(linksAfter.begin(), linksAfter.end(), linksBefore.begin(), linksBefore.end(),
                      std::back_inserter(diff.linksAdded));
  std::set_difference(linksBefore.begin(), linksBefore.end(), linksAfter.begin(), linksAfter.end(),
                      std::back_inserter(diff.linksRemoved));
  return diff;
}

}  // namespace sketch
