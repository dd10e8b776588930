// checkOutputs: the graph must have outputs, and every block should contribute to one.
// Blocks that reach no output are warnings (dead ends are reported, not every block that
// leads into them); inputs that nothing reads are warnings too.
#pragma once

#include "diag/diagnostic.h"
#include "graph/graph.h"

namespace sketch {

void checkOutputs(const Graph& graph, DiagnosticEngine& diags, FileId file);

}  // namespace sketch
