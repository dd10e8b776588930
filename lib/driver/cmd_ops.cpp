#include <algorithm>

#include "core/join.h"
#include "core/spelling.h"
#include "core/value_json.h"
#include "driver/commands.h"
#include "ops/catalogue.h"

namespace sketch {

namespace {

bool lists(const std::vector<std::string>& names, const std::string& op) {
  return std::find(names.begin(), names.end(), op) != names.end() ||
         names == std::vector<std::string>{"*"};
}

// The kernels that write `op` and those that read it back into the catalogue op.
struct OpKernels {
  std::vector<std::string> writes, reads;
};

OpKernels kernelsFor(const std::string& op, const KernelRegistry& kernels) {
  OpKernels out;
  for (const auto& kernel : kernels.kernels()) {
    if (lists(kernel->opNames(), op)) out.writes.push_back(kernel->name());
    if (lists(kernel->readOpNames(), op)) out.reads.push_back(kernel->name());
  }
  return out;
}

std::string kernelList(const std::vector<std::string>& kernels) {
  return kernels.empty() ? "none" : join(kernels, ", ");
}

// `stride=1`, `in_channels=(inferred)`, `out_channels` (required).
std::string attrSynopsis(const AttrDef& attr) {
  if (attr.required) return attr.name;
  if (attr.inferred) return attr.name + "=(inferred)";
  return attr.name + "=" + attr.defaultValue.toString();
}

/// `Conv2d(in_channels=(inferred), out_channels, kernel_size, stride=1, ...)`.
std::string signature(const OpDef& op) {
  std::vector<std::string> attrs;
  for (const AttrDef& attr : op.attrs()) attrs.push_back(attrSynopsis(attr));
  return op.name() + "(" + join(attrs, ", ") + ")";
}

void printOp(const OpDef& op, const OpKernels& kernels, bool detailed, std::ostream& out) {
  out << signature(op) << "\n  writes: " << kernelList(kernels.writes)
      << "; reads back: " << kernelList(kernels.reads) << "\n";
  if (!detailed) return;
  if (!op.doc().empty()) out << "  " << op.doc() << "\n";
  for (const AttrDef& attr : op.attrs()) {
    out << "  " << attr.name << ": "
        << (attr.type == AttrType::IntN ? "int or tuple of " + std::to_string(attr.rank) + " ints"
                                        : std::string(attrTypeName(attr.type)));
    if (!attr.choices.empty()) out << " (" << join(attr.choices, "|") << ")";
    if (attr.optional) out << " or none";
    out << (attr.required   ? ", required"
            : attr.inferred ? ", inferred from the input"
                            : ", default " + attr.defaultValue.toString());
    if (!attr.doc.empty()) out << ": " << attr.doc;
    out << "\n";
  }
}

nlohmann::json opJson(const OpDef& op, const OpKernels& kernels) {
  nlohmann::json attrs = nlohmann::json::array();
  for (const AttrDef& attr : op.attrs()) {
    nlohmann::json a = {{"name", attr.name},
                        {"type", attrTypeName(attr.type)},
                        {"required", attr.required},
                        {"inferred", attr.inferred},
                        {"optional", attr.optional},
                        {"doc", attr.doc}};
    if (!attr.required && !attr.inferred) a["default"] = valueToJson(attr.defaultValue);
    if (attr.type == AttrType::IntN) a["rank"] = attr.rank;
    if (!attr.choices.empty()) a["choices"] = attr.choices;
    attrs.push_back(a);
  }
  nlohmann::json inputs = nlohmann::json::array(), outputs = nlohmann::json::array();
  for (const PortDef& port : op.inputs())
    inputs.push_back({{"name", port.name}, {"optional", port.optional}, {"variadic", port.variadic}});
  for (const PortDef& port : op.outputs()) outputs.push_back(port.name);
  return {{"name", op.name()},     {"category", op.category()}, {"doc", op.doc()},
          {"attributes", attrs},   {"inputs", inputs},          {"outputs", outputs},
          {"writes", kernels.writes}, {"reads", kernels.reads}};
}

}  // namespace

int runOps(const OpsOptions& options, CommandIO& io) {
  SourceManager sources;
  DiagnosticEngine diags(sources, io.errorLimit);
  io.kernels->loadDeferred(diags);  // plug-in kernels and their custom ops
  const OpCatalogue& ops = catalogue();
  std::vector<const OpDef*> chosen;
  for (const std::string& name : options.names) {
    if (const OpDef* op = ops.find(name)) {
      chosen.push_back(op);
      continue;
    }
    Diagnostic& d = diags.reportFile(diag::UnknownOp, "", "unknown op '" + name + "'");
    if (std::string match = closestMatch(name, ops.names()); !match.empty())
      d.help = "did you mean '" + match + "'?";
  }
  // Graph inputs are written `input x: ...`, not called.
  if (options.names.empty())
    for (const std::string& name : ops.names())
      if (ops.find(name)->category() != "input") chosen.push_back(ops.find(name));
  if (options.format == OutputFormat::Json) {
    nlohmann::json list = nlohmann::json::array();
    for (const OpDef* op : chosen) list.push_back(opJson(*op, kernelsFor(op->name(), *io.kernels)));
    writeJson(io.out, {{"version", 1}, {"ops", list}, {"diagnostics", diagnosticsJson(diags)}});
    return exitCodeFor(diags);
  }
  for (const OpDef* op : chosen)
    printOp(*op, kernelsFor(op->name(), *io.kernels), !options.names.empty(), io.out);
  return finishCommand(diags, io);
}

}  // namespace sketch
