// Graph: the abstraction every kernel sees (the paper's adjacency list, made precise).
//
// Nodes are blocks after block definitions and Sequentials are expanded. Each node has an
// op, resolved attributes, ordered input ports fed by at most one producer each, output
// types, a hierarchical path (`layer1.0.conv1`, PyTorch's module naming) and the source span
// that made it. Groups keep the hierarchy that expansion flattened, so kernels can emit the
// same module tree and importers can print blocks again. Graph inputs are nodes whose op
// is the catalogue's `Input`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/shape.h"
#include "diag/source_manager.h"
#include "ops/op_def.h"

namespace sketch {

using NodeId = uint32_t;
using GroupId = int32_t;
constexpr GroupId kNoGroup = -1;

/// An output port of a node.
struct PortRef {
  NodeId node = 0;
  uint32_t port = 0;
  bool operator==(const PortRef& o) const { return node == o.node && port == o.port; }
  bool operator!=(const PortRef& o) const { return !(*this == o); }
  bool operator<(const PortRef& o) const { return node != o.node ? node < o.node : port < o.port; }
};

/// What feeds one input port, and the link text that made it.
struct InputLink {
  PortRef source;
  Span span;
};

struct Node {
  NodeId id = 0;
  std::string name;  // local name in its group (`conv1`, `0`)
  std::string path;  // full module path (`layer1.0.conv1`)
  const OpDef* op = nullptr;
  Attrs attrs;
  std::map<std::string, Span> attrSpans;  // where each given argument was written
  std::vector<std::optional<InputLink>> inputs;
  std::vector<TensorType> outputs;
  std::vector<ParamSpec> params;
  GroupId group = kNoGroup;
  Span span;  // the call that made the node (`Conv2d(...)`)
  /// Its arguments or links were already reported as wrong: later passes stay silent.
  bool hasErrors = false;
};

/// A Sequential or an instance of a `block` definition.
struct Group {
  std::string name;  // local name (`layer1`, `0`)
  std::string path;  // full path
  std::string kind;  // "Sequential" or the block definition's name
  GroupId parent = kNoGroup;
  Span span;
  std::vector<NodeId> nodes;      // direct children that are nodes
  std::vector<GroupId> children;  // direct children that are groups
  Attrs arguments;                // block parameters as instantiated
};

struct GraphOutput {
  std::string name;
  PortRef source;
  Span span;
};

class Graph {
 public:
  std::string name;
  std::string weightsFile;  // from the weights directive, relative to the sketch
  Span weightsSpan;         // the path in the weights directive
  std::vector<Node> nodes;  // NodeId indexes this vector
  std::vector<Group> groups;
  std::vector<NodeId> inputs;
  std::vector<GraphOutput> outputs;
  /// The file has `output` statements (some may have failed to resolve, and were reported).
  bool hasOutputStatements = false;

  Node& node(NodeId id) { return nodes[id]; }
  const Node& node(NodeId id) const { return nodes[id]; }
  const TensorType& typeOf(PortRef ref) const { return nodes[ref.node].outputs[ref.port]; }
  /// "relu" or "lstm.h_n": how a port is named in messages and in the language.
  std::string portName(PortRef ref) const;

  /// Nodes that consume each node's outputs (the paper's `next` lists), by NodeId.
  std::vector<std::vector<NodeId>> successors() const;
  /// Nodes in an order where producers come first; empty if the graph has a cycle.
  std::vector<NodeId> topologicalOrder() const;
  /// Total parameter elements, split into trainable parameters and buffers.
  int64_t parameterCount(bool buffers) const;
};

}  // namespace sketch
