// buildGraph: AST -> Graph. Expands block definitions and Sequentials into nodes (keeping
// their hierarchy as Groups), binds call arguments to op attributes, and resolves links to
// input ports. Reports every problem it meets (unknown ops and names, bad arguments, links to
// unknown blocks or ports, ports linked twice, unconnected inputs) and keeps going: a node
// whose arguments are wrong is still created, marked `hasErrors`, so that links to it
// resolve and no follow-on errors appear. Shapes are inferred afterwards (infer_shapes.h).
#pragma once

#include "diag/diagnostic.h"
#include "graph/graph.h"
#include "lang/ast.h"

namespace sketch {

Graph buildGraph(const ast::Module& module, DiagnosticEngine& diags);

}  // namespace sketch
