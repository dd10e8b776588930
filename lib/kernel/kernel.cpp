#include "kernel/kernel.h"

#include <map>

#include "ops/catalogue.h"

namespace sketch {

std::optional<ImportedModel> Kernel::importModel(const std::string& path, const ImportOptions&,
                                                 DiagnosticEngine& diags) const {
  diags.reportFile(diag::UnknownFormat, path, "the " + name() + " kernel cannot read models");
  return std::nullopt;
}

size_t reportUnsupported(const Kernel& kernel, const Graph& graph, DiagnosticEngine& diags) {
  size_t count = 0;
  for (const Node& node : graph.nodes) {
    if (kernel.supports(node)) continue;
    ++count;
    diags.report(diag::UnsupportedOp, node.span,
                 "the " + kernel.name() + " kernel cannot express " + node.op->name() + " '" +
                     node.path + "'");
  }
  return count;
}

}  // namespace sketch
