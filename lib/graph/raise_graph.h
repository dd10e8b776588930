// raiseGraph: a Graph (typically imported from a framework file) back to sketch statements.
//
// The hierarchy comes from the node paths (`layer1.0.conv1`). A group whose children are
// numbered 0..k-1 and form a chain prints as `Sequential(...)`; any other group prints as
// an instance of a `block` definition. Instances with the same structure share one
// definition, whose parameters are the attribute values that differ between instances
// (equal columns of values become one parameter), so an imported ResNet reads like ResNet
// and not like a flat list of nodes. Attributes print as in PyTorch code: the leading
// required ones positionally, the rest by keyword when they differ from the default.
// Paths, and so the parameter names of the printed sketch, are the graph's.
#pragma once

#include <map>
#include <string>

#include "graph/graph.h"
#include "lang/ast.h"

namespace sketch {

struct RaisedSketch {
  ast::Module module;
  /// Parameters whose name had to change because a numbered child outside a chain cannot
  /// be named in the language (`3` becomes `_3`): old full name -> new full name.
  std::map<std::string, std::string> renamedParams;
};

/// `weightsFile` becomes the `weights` directive (none when empty). Groups in the graph
/// with a `kind` name the block definitions made for them.
RaisedSketch raiseGraph(const Graph& graph, const std::string& weightsFile);

}  // namespace sketch
