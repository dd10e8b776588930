#include "kernel/kernel.h"

#include <map>

#include "ops/catalogue.h"

namespace sketch {

std::optional<ImportedModel> Kernel::importModel(const std::string& path, const ImportOptions&,
                                                 DiagnosticEngine& diags) const {
  diags.reportFile(diag::UnknownFormat, path, "the " + name() + " kernel cannot read models");
  return std::nullopt;
}

KernelOption KernelOption::flag(std::string name, std::string help) {
  return {std::move(name), Kind::Flag, std::move(help), Value::ofBool(false), {}, 0, 0};
}

KernelOption KernelOption::integer(std::string name, std::string help, int64_t defaultValue,
                                   int64_t min, int64_t max) {
  return {std::move(name), Kind::Int, std::move(help), Value::ofInt(defaultValue), {}, min, max};
}

KernelOption KernelOption::choice(std::string name, std::string help, std::string defaultValue,
                                  std::vector<std::string> choices) {
  return {std::move(name), Kind::Choice, std::move(help), Value::ofString(std::move(defaultValue)),
          std::move(choices), 0, 0};
}

const Value& ExportOptions::value(const KernelOption& option) const {
  auto it = kernelOptions.find(option.name);
  return it == kernelOptions.end() ? option.defaultValue : it->second;
}

size_t reportUnsupported(const Kernel& kernel, const Graph& graph, DiagnosticEngine& diags) {
  size_t count = 0;
  for (const Node& node : graph.nodes) {
    if (kernel.supports(node)) continue;
    ++count;
    std::string why = kernel.limitation(node);
    diags.report(diag::UnsupportedOp, node.span,
                 "the " + kernel.name() + " kernel cannot express " + node.op->name() + " '" +
                     node.path + "'")
        .help = why.empty()
                    ? "'sketchc ops " + node.op->name() + "' lists the kernels that write it"
                    : why;
  }
  return count;
}

}  // namespace sketch
