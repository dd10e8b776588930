// Arranging a graph as nested Torch7 containers (series-parallel decomposition).
//
// nn.Sequential runs modules in series; ConcatTable feeds one value to several branches
// and a table module (CAddTable, CMulTable, JoinTable) merges them. So a graph can be
// written when every fork's branches meet again at one merge node, the fork's immediate
// post-dominator, each branch feeding one of its inputs: ResNet (Add), Inception and
// DenseNet (Concat) blocks are of this kind. Anything else is reported, naming the nodes
// involved, and nothing is written.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "graph/graph.h"

namespace sketch::t7 {

struct Arrangement {
  enum class Kind { Module, Series, Parallel };
  Kind kind = Kind::Series;
  NodeId node = 0;  // Module: the node; Parallel: the merge node
  /// Series: the steps in order; Parallel: one Series per branch, in the merge's port order
  /// (an empty Series is a branch that passes the value through).
  std::vector<Arrangement> items;
};

/// Whether a node can merge the branches of a ConcatTable (the kernel's table modules).
using MergePredicate = std::function<bool(const Node&)>;

/// The graph (one Input node, one output) as a series; nothing and `error` set when it
/// cannot be arranged.
std::optional<Arrangement> arrangeGraph(const Graph& graph, const MergePredicate& isMerge,
                                        std::string* error);

}  // namespace sketch::t7
