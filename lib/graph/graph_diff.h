// diffGraphs: what changed between two checked graphs, in the terms a reviewer reads a
// sketch in: blocks (by module path), their ops, attributes and output types, and the
// links between them.
//
// Blocks are matched by path first. The rest are matched by what they are: the same op,
// attributes and output types, fed by blocks already matched (or, failing that, the only
// block that looks like it), so a block that only moved to a new path counts as renamed
// and its links are not reported as changed too. A renamed block with parameters is a
// change: its path is its state_dict key. One without parameters only changed its label,
// which is not part of the model (ONNX files do not keep it), so a sketch and its ONNX
// export imported again compare equal. Attribute values compare as the op reads them
// (kernel_size=3 is (3, 3) for Conv2d). Groups are not compared: they only name paths.
// Depends on graph.h.
#pragma once

#include <string>
#include <vector>

#include "graph/graph.h"

namespace sketch {

/// A block present in both graphs whose op, attributes, output types or path differ.
struct NodeChange {
  const Node* before = nullptr;
  const Node* after = nullptr;
  bool renamed = false;                    // paths differ
  bool opChanged = false;
  std::vector<std::string> attrs;          // attribute names whose values differ, sorted
  bool outputsChanged = false;
};

struct GraphDiff {
  std::vector<const Node*> added;    // in the second graph only, in its node order
  std::vector<const Node*> removed;  // in the first graph only, in its node order
  std::vector<NodeChange> changed;   // in the second graph's node order
  /// Blocks without parameters that differ only in path, in the second graph's order;
  /// they do not make the graphs different.
  std::vector<NodeChange> relabeled;
  /// Links as the language writes them ("conv1 -> bn1", "q -> attn.key", and graph outputs
  /// as "fc -> output logits"), with renamed blocks under their new paths; sorted.
  std::vector<std::string> linksAdded;
  std::vector<std::string> linksRemoved;

  bool empty() const {
    return added.empty() && removed.empty() && changed.empty() && linksAdded.empty() &&
           linksRemoved.empty();
  }
};

GraphDiff diffGraphs(const Graph& before, const Graph& after);

/// Output types of a node as one string: "float32[N, 64, 56, 56]", comma-separated.
std::string outputTypes(const Node& node);

}  // namespace sketch
