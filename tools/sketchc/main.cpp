// sketchc: parse flags, run one command from lib/driver, return its exit code.
#include <CLI/CLI.hpp>

#include <iostream>

#include "driver/commands.h"

using namespace sketch;

namespace {

struct Options {
  CheckOptions check;
  SummaryOptions summary;
  FmtOptions fmt;
  GraphOptions graph;
  std::string format = "text";
};

struct Command {
  const char* name;
  const char* summary;
  const char* example;
  void (*setup)(CLI::App&, Options&);
  int (*run)(Options&, CommandIO&);
};

OutputFormat parseFormat(const std::string& f) { return f == "json" ? OutputFormat::Json : OutputFormat::Text; }

void addFormat(CLI::App& cmd, Options& o) {
  cmd.add_option("--format", o.format, "report format")->check(CLI::IsMember({"text", "json"}));
}

const Command kCommands[] = {
    {"check", "validate sketches: syntax, ops, links, every tensor shape",
     "sketchc check examples/ net.sketch --format json",
     [](CLI::App& c, Options& o) {
       c.add_option("paths", o.check.paths, "sketch files or folders (- for stdin)")->required();
       addFormat(c, o);
     },
     [](Options& o, CommandIO& io) {
       o.check.format = parseFormat(o.format);
       return runCheck(o.check, io);
     }},
    {"summary", "per-block output shapes, parameters and MACs, with totals",
     "sketchc summary resnet18.sketch --format json",
     [](CLI::App& c, Options& o) {
       c.add_option("file", o.summary.path, "sketch file (- for stdin)")->required();
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
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sketchc: a compiler for neural-network architectures"};
  app.set_version_flag("--version", "sketchc " SKETCH_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // global options (--color) may follow the command
  Options options;
  CommandIO io{std::cout, std::cerr};
  app.add_option("--color", io.color, "colour diagnostics: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
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
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  for (auto& [sub, command] : commands)
    if (sub->parsed()) return command->run(options, io);
  return kExitUsage;
}
