#include "driver/commands.h"

namespace sketch {

namespace {

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

nlohmann::json kernelJson(const Kernel& kernel) {
  return {{"name", kernel.name()},
          {"extensions", kernel.extensions()},
          {"description", kernel.description()},
          {"origin", kernel.origin()},
          {"ops", kernel.opNames()}};
}

void printKernel(const Kernel& kernel, std::ostream& out) {
  out << kernel.name() << "  " << joined(kernel.extensions(), " ") << "  " << kernel.origin()
      << "\n  " << kernel.description() << "\n";
  std::vector<std::string> ops = kernel.opNames();
  std::string listed = ops.empty() ? "decided per block"
                       : ops == std::vector<std::string>{"*"} ? "every op"
                                                              : joined(ops, ", ");
  out << "  ops: " << listed << "\n";
}

}  // namespace

int runKernels(const KernelsOptions& options, CommandIO& io) {
  SourceManager sources;
  DiagnosticEngine diags(sources, io.errorLimit);
  // Listing is the one place that always needs the plug-ins.
  io.kernels->loadDeferred(diags);
  if (options.format == OutputFormat::Json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& kernel : io.kernels->kernels()) list.push_back(kernelJson(*kernel));
    writeJson(io.out, {{"version", 1}, {"kernels", list}, {"diagnostics", diagnosticsJson(diags)}});
    return exitCodeFor(diags);
  }
  for (const auto& kernel : io.kernels->kernels()) printKernel(*kernel, io.out);
  return finishCommand(diags, io);
}

}  // namespace sketch
