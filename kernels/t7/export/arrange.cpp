#include "arrange.h"

#include <algorithm>
#include <map>

namespace sketch::t7 {

namespace {

struct Use {
  NodeId node;
  uint32_t port;
};

struct Failure {
  std::string message;
};

class Arranger {
 public:
  Arranger(const Graph& graph, PortRef exit, const MergePredicate& isMerge)
      : graph_(graph), exit_(exit), isMerge_(isMerge) {
    for (const Node& n : graph.nodes)
      for (uint32_t p = 0; p < n.inputs.size(); ++p)
        if (n.inputs[p]) uses_[n.inputs[p]->source].push_back({n.id, p});
    computePostDominators();
  }

  Arrangement series(PortRef value, std::optional<NodeId> stop, PortRef* end) {
    Arrangement s;
    while (true) {
      const std::vector<Use>& uses = usesOf(value);
      if ((!stop && value == exit_ && uses.empty()) ||
          (stop && uses.size() == 1 && uses[0].node == *stop)) {
        *end = value;
        return s;
      }
      if (uses.empty()) fail("'" + name(value.node) + "' does not lead to the output");
      if (uses.size() == 1) {
        s.items.push_back(step(uses[0].node));
        value = {uses[0].node, 0};
        continue;
      }
      s.items.push_back(parallel(value, uses));
      value = {s.items.back().node, 0};
    }
  }

 private:
  [[noreturn]] void fail(const std::string& message) { throw Failure{message}; }
  std::string name(NodeId id) const { return graph_.node(id).path; }

  const std::vector<Use>& usesOf(PortRef value) const {
    static const std::vector<Use> kNone;
    auto it = uses_.find(value);
    return it == uses_.end() ? kNone : it->second;
  }

  size_t connectedInputs(const Node& n) const {
    return size_t(std::count_if(n.inputs.begin(), n.inputs.end(),
                                [](const auto& i) { return i.has_value(); }));
  }

  /// A single-input node in a chain; only its first output may be used further on.
  Arrangement step(NodeId id) {
    const Node& n = graph_.node(id);
    if (connectedInputs(n) != 1)
      fail("'" + n.path + "' joins values that do not come from one fork");
    for (uint32_t p = 1; p < n.outputs.size(); ++p)
      if (!usesOf({id, p}).empty())
        fail("output " + std::to_string(p) + " of '" + n.path + "' is used; nn modules have one");
    Arrangement a;
    a.kind = Arrangement::Kind::Module;
    a.node = id;
    return a;
  }

  /// The branches from a fork at `value` up to their merge node.
  Arrangement parallel(PortRef value, const std::vector<Use>& uses) {
    NodeId join = ipdom_[value.node];
    if (join == kNone || graph_.node(join).outputs.empty())
      fail("the branches after '" + name(value.node) + "' never meet again");
    const Node& merge = graph_.node(join);
    if (!isMerge_(merge))
      fail("the branches after '" + name(value.node) + "' meet at '" + merge.path + "', a " +
           merge.op->name() + " that cannot merge them as a table module");
    Arrangement par;
    par.kind = Arrangement::Kind::Parallel;
    par.node = join;
    std::map<uint32_t, Arrangement> byPort;
    for (const Use& use : uses) {
      if (use.node == join) {
        byPort[use.port] = Arrangement{};
        continue;
      }
      Arrangement branch;
      branch.items.push_back(step(use.node));
      PortRef end;
      Arrangement rest = series({use.node, 0}, join, &end);
      for (Arrangement& a : rest.items) branch.items.push_back(std::move(a));
      uint32_t port = portFedBy(merge, end, byPort);
      byPort[port] = std::move(branch);
    }
    if (byPort.size() != connectedInputs(merge))
      fail("'" + merge.path + "' merges values from outside the fork at '" + name(value.node) +
           "'");
    for (auto& [port, branch] : byPort) par.items.push_back(std::move(branch));
    return par;
  }

  uint32_t portFedBy(const Node& merge, PortRef end, const std::map<uint32_t, Arrangement>& taken) {
    for (uint32_t p = 0; p < merge.inputs.size(); ++p)
      if (merge.inputs[p] && merge.inputs[p]->source == end && !taken.count(p)) return p;
    fail("a branch into '" + merge.path + "' is not a chain");
  }

  /// Immediate post-dominators towards the exit node, by the classic intersection over the
  /// reverse topological order.
  void computePostDominators() {
    std::vector<NodeId> order = graph_.topologicalOrder();
    std::vector<std::vector<NodeId>> next = graph_.successors();
    ipdom_.assign(graph_.nodes.size(), kNone);
    depth_.assign(graph_.nodes.size(), 0);
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      NodeId n = *it;
      if (n == exit_.node) {
        ipdom_[n] = n;
        continue;
      }
      NodeId common = kNone;
      for (NodeId s : next[n]) {
        if (ipdom_[s] == kNone) continue;  // a dead end: reported when walked into
        common = common == kNone ? s : intersect(common, s);
      }
      ipdom_[n] = common;
      if (common != kNone) depth_[n] = depth_[common] + 1;
    }
  }

  NodeId intersect(NodeId a, NodeId b) const {
    while (a != b) {
      if (depth_[a] >= depth_[b])
        a = ipdom_[a];
      else
        b = ipdom_[b];
    }
    return a;
  }

  static constexpr NodeId kNone = ~NodeId{0};
  const Graph& graph_;
  PortRef exit_;
  const MergePredicate& isMerge_;
  std::map<PortRef, std::vector<Use>> uses_;
  std::vector<NodeId> ipdom_;
  std::vector<size_t> depth_;
};

}  // namespace

std::optional<Arrangement> arrangeGraph(const Graph& graph, const MergePredicate& isMerge,
                                        std::string* error) {
  if (graph.inputs.size() != 1 || graph.outputs.size() != 1) {
    *error = "a Torch7 container has one input and one output; the graph has " +
             std::to_string(graph.inputs.size()) + " and " + std::to_string(graph.outputs.size());
    return std::nullopt;
  }
  try {
    Arranger arranger(graph, graph.outputs[0].source, isMerge);
    PortRef end;
    return arranger.series({graph.inputs[0], 0}, std::nullopt, &end);
  } catch (const Failure& failure) {
    *error = failure.message;
    return std::nullopt;
  }
}

}  // namespace sketch::t7
