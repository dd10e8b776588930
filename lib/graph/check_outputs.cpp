#include "graph/check_outputs.h"

namespace sketch {

void checkOutputs(const Graph& graph, DiagnosticEngine& diags, FileId file) {
  if (graph.outputs.empty()) {
    if (graph.hasOutputStatements) return;  // each failed output was reported already
    Span start{file, 0, 0};
    diags.report(diag::NoOutputs, start, "the sketch declares no output")
        .help = "add e.g. 'output logits = fc'";
    return;
  }
  // After errors, some links are missing, so "unused" would mostly repeat them.
  if (diags.hasErrors()) return;
  // Walk backwards from the outputs.
  std::vector<bool> used(graph.nodes.size(), false);
  std::vector<NodeId> work;
  for (const GraphOutput& out : graph.outputs) work.push_back(out.source.node);
  while (!work.empty()) {
    NodeId id = work.back();
    work.pop_back();
    if (used[id]) continue;
    used[id] = true;
    for (const auto& link : graph.node(id).inputs)
      if (link) work.push_back(link->source.node);
  }
  std::vector<std::vector<NodeId>> next = graph.successors();
  for (const Node& node : graph.nodes) {
    if (used[node.id] || !next[node.id].empty() || node.hasErrors) continue;
    bool isInput = node.op->category() == "input";
    diags.report(isInput ? diag::UnusedInput : diag::UnusedBlock, node.span,
                 (isInput ? "input '" : "block '") + node.path + "' does not reach any output");
  }
}

}  // namespace sketch
