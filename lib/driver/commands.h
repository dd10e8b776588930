// The sketchc commands as library functions: the CLI parses flags into these option structs
// and returns what these return (an ExitCode). stdout carries the product (report, JSON,
// text); stderr carries diagnostics.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "driver/report.h"

namespace sketch {

struct CommandIO {
  std::ostream& out;
  std::ostream& err;
  std::string color = "auto";  // --color=auto|always|never
};

struct CheckOptions {
  std::vector<std::string> paths;  // files and folders (searched for *.sketch, *.yaml, *.yml)
  OutputFormat format = OutputFormat::Text;
};
int runCheck(const CheckOptions& options, CommandIO& io);

struct SummaryOptions {
  std::string path;
  OutputFormat format = OutputFormat::Text;
};
int runSummary(const SummaryOptions& options, CommandIO& io);

struct FmtOptions {
  std::string path;
  std::string to;      // "sketch" or "yaml"; empty: the input's own form
  std::string output;  // empty or "-": stdout
  bool inPlace = false;
};
int runFmt(const FmtOptions& options, CommandIO& io);

struct GraphOptions {
  std::string path;
  bool adjacency = false;
  OutputFormat format = OutputFormat::Text;
};
int runGraph(const GraphOptions& options, CommandIO& io);

}  // namespace sketch
