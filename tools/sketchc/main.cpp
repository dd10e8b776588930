// sketchc: parse flags, run one command from lib/driver, return its exit code.
#include <CLI/CLI.hpp>

#include <iostream>

#include "builtin_kernels.h"
#include "core/spelling.h"
#include "diagnostic_flags.h"
#include "driver/commands.h"
#include "kernel_flags.h"
#include "log_flags.h"
#include "plugin/plugin_host.h"
#include "process_exit.h"

using namespace sketch;

namespace {

struct Options {
  const KernelRegistry* registry = nullptr;
  CompileOptions compile;
  KernelFlags compileFlags;
  CheckOptions check;
  SummaryOptions summary;
  FmtOptions fmt;
  GraphOptions graph;
  ConvertOptions convert;
  KernelFlags convertFlags;
  DiffOptions diff;
  RenderOptions render;
  KernelsOptions kernels;
  OpsOptions ops;
  std::string format = "text";
};

struct Command {
  const char* name;
  const char* summary;
  const char* example;
  void (*setup)(CLI::App&, Options&);
  int (*run)(Options&, CommandIO&);
};

OutputFormat parseFormat(const std::string& f) {
  if (f == "sarif") return OutputFormat::Sarif;
  return f == "json" ? OutputFormat::Json : OutputFormat::Text;
}

void addFormat(CLI::App& cmd, Options& o) {
  cmd.add_option("--format", o.format, "report format")->check(CLI::IsMember({"text", "json"}));
}

void setupCompile(CLI::App& c, Options& o) {
  c.add_option("file", o.compile.path, "sketch file (- for stdin)")->required();
  c.add_option("-o,--output", o.compile.exportOptions.outputPath,
               "output model; its extension picks the kernel")->required();
  c.add_option("--kernel", o.compile.kernel, "kernel to use (see 'sketchc kernels')")
      ->type_name("KERNEL");
  c.add_option("--weights", o.compile.weights, "weights: .safetensors or any importable model");
  c.add_flag("--reinit-mismatched", o.compile.reinitMismatched,
             "initialise, and list, the parameters whose tensor no longer fits (an edited width)");
  o.compileFlags.add(c, *o.registry);
}

void setupConvert(CLI::App& c, Options& o) {
  ConvertOptions& v = o.convert;
  c.add_option("input", v.input, "model to read (.onnx, .t7, .pth)")->required();
  c.add_option("output", v.exportOptions.outputPath, "model to write; its extension picks the kernel")
      ->required();
  c.add_option("--kernel", v.kernel, "kernel to use (see 'sketchc kernels')")
      ->type_name("KERNEL");
  o.convertFlags.add(c, *o.registry);
  c.add_option("--from", v.inputKernel, "kernel to read with (default: from INPUT)");
  c.add_option("--input-shape", v.importOptions.inputShape,
               "input type when the model has none, e.g. \"float32[N, 3, 32, 32]\" (t7)");
}

void setupRender(CLI::App& c, Options& o) {
  c.add_option("file", o.render.path, "sketch or model file (- for stdin)")->required();
  c.add_option("-o,--output", o.render.output, "drawing: .svg, .png or .dot (- for stdout)")->required();
  c.add_option("--to", o.render.to, "drawing format (default: from the output's extension)")
      ->check(CLI::IsMember({"svg", "png", "dot"}));
  c.add_option("--depth", o.render.depth, "draw groups nested deeper than N as one box")
      ->check(CLI::NonNegativeNumber);
}

const Command kCommands[] = {
    {"compile", "compile a sketch with its weights to a framework file",
     "sketchc compile resnet18.sketch -o resnet18.onnx --weights resnet18.safetensors",
     setupCompile,
     [](Options& o, CommandIO& io) {
       o.compileFlags.collect(o.compile.exportOptions);
       return runCompile(o.compile, io);
     }},
    {"check", "validate sketches: syntax, ops, links, every tensor shape",
     "sketchc check examples/ net.sketch --format json",
     [](CLI::App& c, Options& o) {
       c.add_option("paths", o.check.paths, "sketch files or folders (- for stdin)")->required();
       c.add_option("--format", o.format, "report format (sarif: for code scanning)")
           ->check(CLI::IsMember({"text", "json", "sarif"}));
       c.add_option("-j,--jobs", o.check.jobs, "files checked in parallel (default: one per core)");
     },
     [](Options& o, CommandIO& io) {
       o.check.format = parseFormat(o.format);
       return runCheck(o.check, io);
     }},
    {"summary", "per-block output shapes, parameters and MACs, with totals",
     "sketchc summary resnet18.sketch --format json",
     [](CLI::App& c, Options& o) {
       c.add_option("file", o.summary.path, "sketch file (- for stdin)")->required();
       c.add_option("--input-shape", o.summary.inputShape,
                    "infer at this input type, e.g. \"float32[1, 3, 224, 224]\" (MACs of "
                    "symbolic sizes)");
       addFormat(c, o);
     },
     [](Options& o, CommandIO& io) {
       o.summary.format = parseFormat(o.format);
       return runSummary(o.summary, io);
     }},
    {"fmt", "print a sketch in canonical text or YAML form",
     "sketchc fmt net.sketch --to yaml -o net.yaml",
     [](CLI::App& c, Options& o) {
       c.add_option("file", o.fmt.path, "sketch file (- for stdin)")->required();
       c.add_option("--to", o.fmt.to, "output form (default: the input's)")
           ->check(CLI::IsMember({"sketch", "yaml"}));
       auto* out = c.add_option("-o,--output", o.fmt.output, "write here instead of stdout");
       c.add_flag("-i,--in-place", o.fmt.inPlace, "rewrite the file itself")->excludes(out);
     },
     [](Options& o, CommandIO& io) { return runFmt(o.fmt, io); }},
    {"graph", "print the checked graph: adjacency list or JSON",
     "sketchc graph resnet18.sketch --adjacency",
     [](CLI::App& c, Options& o) {
       c.add_option("file", o.graph.path, "sketch file (- for stdin)")->required();
       c.add_flag("--adjacency", o.graph.adjacency, "NodeId / NodeDef / AdjList table (default)");
       addFormat(c, o);
     },
     [](Options& o, CommandIO& io) {
       o.graph.format = parseFormat(o.format);
       return runGraph(o.graph, io);
     }},
    {"render", "draw the network as blocks and arrows: SVG, PNG or DOT",
     "sketchc render resnet18.sketch -o resnet18.svg --depth 1", setupRender,
     [](Options& o, CommandIO& io) { return runRender(o.render, io); }},
    {"diff", "what changed between two sketches or models: blocks, links, totals",
     "sketchc diff old.sketch new.sketch --format json",
     [](CLI::App& c, Options& o) {
       c.add_option("before", o.diff.before, "sketch or model file")->required();
       c.add_option("after", o.diff.after, "sketch or model file")->required();
       addFormat(c, o);
     },
     [](Options& o, CommandIO& io) {
       o.diff.format = parseFormat(o.format);
       return runDiff(o.diff, io);
     }},
    {"convert", "import a model and compile it to another format, weights included",
     "sketchc convert net.t7 net.onnx --input-shape \"float32[N, 3, 32, 32]\"", setupConvert,
     [](Options& o, CommandIO& io) {
       o.convertFlags.collect(o.convert.exportOptions);
       return runConvert(o.convert, io);
     }},
    {"kernels", "list the kernels: built-in and Lua plug-ins, with extensions and ops",
     "sketchc kernels --format json",
     [](CLI::App& c, Options& o) { addFormat(c, o); },
     [](Options& o, CommandIO& io) {
       o.kernels.format = parseFormat(o.format);
       return runKernels(o.kernels, io);
     }},
    {"ops", "list the catalogue's ops: arguments, and which kernels write and read each",
     "sketchc ops Conv2d",
     [](CLI::App& c, Options& o) {
       c.add_option("op", o.ops.names, "ops to describe in full (default: every op, briefly)");
       addFormat(c, o);
     },
     [](Options& o, CommandIO& io) {
       o.ops.format = parseFormat(o.format);
       return runOps(o.ops, io);
     }},
};

// The word given where a command belongs when it names none ("sketchc chek"), or "".
std::string unknownCommand(const CLI::App& app) {
  if (!app.get_subcommands().empty()) return "";
  for (const std::string& arg : app.remaining())
    if (!arg.empty() && arg[0] != '-') return arg;
  return "";
}

int reportUnknownCommand(const std::string& word) {
  std::vector<std::string> names;
  for (const Command& command : kCommands) names.push_back(command.name);
  std::string match = closestMatch(word, names);
  std::cerr << "sketchc: error: unknown command '" << word << "'\n  help: "
            << (match.empty() ? "" : "did you mean '" + match + "'? ")
            << "'sketchc --help' lists the commands\n";
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sketchc: a compiler for neural-network architectures"};
  app.set_version_flag("--version", "sketchc " SKETCH_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // global options (--color, -v) may follow the command
  Options options;
  KernelRegistry kernels;
  registerBuiltinKernels(kernels);
  installLuaPlugins(kernels);
  options.registry = &kernels;
  CommandIO io{std::cout, std::cerr};
  io.kernels = &kernels;
  addDiagnosticOptions(app, io);
  LogOptions log;
  log.program = "sketchc";
  addLogOptions(app, log);
  std::vector<std::pair<CLI::App*, const Command*>> commands;
  for (const Command& command : kCommands) {
    CLI::App* sub = app.add_subcommand(command.name, command.summary);
    sub->footer(std::string("example:\n  ") + command.example);
    command.setup(*sub, options);
    commands.push_back({sub, &command});
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (std::string word = unknownCommand(app); !word.empty()) return reportUnknownCommand(word);
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (!startLogging(log)) return kExitUsage;
  for (auto& [sub, command] : commands)
    if (sub->parsed()) return finishProcess(command->run(options, io));
  return kExitUsage;
}
