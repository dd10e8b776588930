#include "driver/write_model.h"

namespace sketch {

bool writeModel(const Kernel& kernel, const Graph& graph, const WeightStore& weights,
                ExportOptions options, const std::vector<std::string>& inputs, DiagnosticEngine& diags) {
  for (const std::string& input : inputs)
    if (!input.empty()) options.protectedPaths.push_back(input);
  // An option of another kernel does nothing here: say so rather than drop it silently.
  for (const auto& [name, value] : options.kernelOptions) {
    bool declared = false;
    for (const KernelOption& option : kernel.options()) declared = declared || option.name == name;
    if (!declared)
      diags.reportFile(diag::KernelOptionIgnored, options.outputPath,
                       "--" + name + " is not an option of the " + kernel.name() +
                           " kernel; it is ignored");
  }
  return kernel.exportModel(graph, weights, options, diags);
}

}  // namespace sketch
