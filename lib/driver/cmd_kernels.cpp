#include "core/join.h"
#include "core/value_json.h"
#include "driver/commands.h"

namespace sketch {

namespace {

const char* kindName(KernelOption::Kind kind) {
  switch (kind) {
    case KernelOption::Kind::Flag: return "flag";
    case KernelOption::Kind::Int: return "int";
    case KernelOption::Kind::Choice: return "choice";
  }
  return "flag";
}

nlohmann::json optionJson(const KernelOption& option) {
  nlohmann::json o = {{"name", option.name},
                      {"kind", kindName(option.kind)},
                      {"help", option.help},
                      {"default", valueToJson(option.defaultValue)}};
  if (option.kind == KernelOption::Kind::Int) o["range"] = {option.min, option.max};
  if (option.kind == KernelOption::Kind::Choice) o["choices"] = option.choices;
  return o;
}

nlohmann::json kernelJson(const Kernel& kernel) {
  nlohmann::json options = nlohmann::json::array();
  for (const KernelOption& option : kernel.options()) options.push_back(optionJson(option));
  return {{"name", kernel.name()},
          {"extensions", kernel.extensions()},
          {"description", kernel.description()},
          {"origin", kernel.origin()},
          {"ops", kernel.opNames()},
          {"reads", kernel.readOpNames()},
          {"options", options}};
}

/// "--opset INT (13 to 17, default 17)", "--dtype float32|float64 (default float32)".
std::string optionSynopsis(const KernelOption& option) {
  std::string text = "--" + option.name;
  if (option.kind == KernelOption::Kind::Int)
    text += " INT (" + std::to_string(option.min) + " to " + std::to_string(option.max) +
            ", default " + option.defaultValue.toString() + ")";
  if (option.kind == KernelOption::Kind::Choice)
    text += " " + join(option.choices, "|") + " (default " + option.defaultValue.asString() + ")";
  return text;
}

void printKernel(const Kernel& kernel, std::ostream& out) {
  out << kernel.name() << "  " << join(kernel.extensions(), " ") << "  " << kernel.origin()
      << "\n  " << kernel.description() << "\n";
  std::vector<std::string> ops = kernel.opNames();
  std::string listed = ops.empty() ? "decided per block"
                       : ops == std::vector<std::string>{"*"} ? "every op"
                                                              : join(ops, ", ");
  out << "  ops: " << listed << "\n";
  std::vector<std::string> read = kernel.readOpNames();
  if (!read.empty()) out << "  reads back: " << join(read, ", ") << "\n";
  for (const KernelOption& option : kernel.options())
    out << "  " << optionSynopsis(option) << ": " << option.help << "\n";
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
