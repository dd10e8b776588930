// inferShapes: runs every node's shape function in topological order, fills inferred
// attributes, output types and parameters, and turns ShapeIssues into located diagnostics
// (the node's call, the attribute's argument, or the link into the port, with a note at the
// producer's side). Nodes fed by an error type stay silent and produce error types.
#pragma once

#include <string>

#include "diag/diagnostic.h"
#include "graph/graph.h"

namespace sketch {

/// Returns false when the graph has a cycle (reported; nothing is inferred then).
bool inferShapes(Graph& graph, DiagnosticEngine& diags);

/// inferShapes for a graph read from a model file, whose nodes have no place in any
/// source: each problem is reported against `file`, the thing the user has to look at.
/// Returns false when anything was reported as an error.
bool inferImportedShapes(Graph& graph, const std::string& file, DiagnosticEngine& diags);

}  // namespace sketch
