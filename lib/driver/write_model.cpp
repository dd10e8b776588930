#include "driver/write_model.h"

namespace sketch {

bool writeModel(const Kernel& kernel, const Graph& graph, const WeightStore& weights,
                ExportOptions options, const std::vector<std::string>& inputs, DiagnosticEngine& diags) {
  for (const std::string& input : inputs)
    if (!input.empty()) options.protectedPaths.push_back(input);
  return kernel.exportModel(graph, weights, options, diags);
}

}  // namespace sketch
