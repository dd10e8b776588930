#include "graph/graph.h"

#include <queue>

namespace sketch {

std::string Graph::portName(PortRef ref) const {
  const Node& n = nodes[ref.node];
  const std::string& name = n.path.empty() ? n.name : n.path;
  // A bare name means port 0 in the language (`pool` for MaxPool's output, `lstm` for LSTM's).
  if (ref.port == 0) return name;
  if (n.op->hasVariadicOutputs()) return name + "." + std::to_string(ref.port);
  return name + "." + n.op->outputs()[ref.port].name;
}

std::vector<std::vector<NodeId>> Graph::successors() const {
  std::vector<std::vector<NodeId>> next(nodes.size());
  for (const Node& n : nodes)
    for (const auto& link : n.inputs)
      if (link) {
        std::vector<NodeId>& list = next[link->source.node];
        if (list.empty() || list.back() != n.id) list.push_back(n.id);
      }
  return next;
}

std::vector<NodeId> Graph::topologicalOrder() const {
  // Kahn's algorithm; a min-queue keeps declaration order among ready nodes, so the
  // order (and everything printed from it) is deterministic and reads like the source.
  std::vector<size_t> pending(nodes.size(), 0);
  for (const Node& n : nodes)
    for (const auto& link : n.inputs)
      if (link) ++pending[n.id];
  std::priority_queue<NodeId, std::vector<NodeId>, std::greater<NodeId>> ready;
  for (const Node& n : nodes)
    if (pending[n.id] == 0) ready.push(n.id);
  std::vector<std::vector<NodeId>> consumers(nodes.size());
  for (const Node& n : nodes)
    for (const auto& link : n.inputs)
      if (link) consumers[link->source.node].push_back(n.id);
  std::vector<NodeId> order;
  order.reserve(nodes.size());
  while (!ready.empty()) {
    NodeId id = ready.top();
    ready.pop();
    order.push_back(id);
    for (NodeId c : consumers[id])
      if (--pending[c] == 0) ready.push(c);
  }
  if (order.size() != nodes.size()) return {};
  return order;
}

int64_t Graph::parameterCount(bool buffers) const {
  int64_t total = 0;
  for (const Node& n : nodes)
    for (const ParamSpec& p : n.params) {
      if (p.buffer != buffers) continue;
      int64_t count = 1;
      for (int64_t d : p.shape) count *= d;
      total += count;
    }
  return total;
}

}  // namespace sketch
