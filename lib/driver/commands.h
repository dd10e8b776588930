// The sketchc commands as library functions: the CLI parses flags into these option structs
// and returns what these return (an ExitCode). stdout carries the product (report, JSON,
// text); stderr carries diagnostics.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "driver/report.h"
#include "kernel/kernel_registry.h"

namespace sketch {

struct CommandIO {
  std::ostream& out;
  std::ostream& err;
  std::string color = "auto";  // --color=auto|always|never
  size_t errorLimit = kDefaultErrorLimit;  // --error-limit; 0: no limit
  const KernelRegistry* kernels = nullptr;
};

/// Prints a run's diagnostics to stderr, coloured as --color says, and returns the exit
/// code they call for: how every command ends.
inline int finishCommand(const DiagnosticEngine& diags, const CommandIO& io) {
  renderText(diags, io.err, useColor(io.color, 2));
  return exitCodeFor(diags);
}

struct CheckedSketch;

/// Runs a single-sketch report command: checks `path`, prints its diagnostics, and calls
/// `report` only when the sketch is valid (inferred at `inputShape` when given). Returns
/// the exit code.
int reportOnSketch(const std::string& path, CommandIO& io,
                   const std::function<void(const CheckedSketch&, const SourceManager&)>& report,
                   const std::string& inputShape = "");

struct CheckOptions {
  std::vector<std::string> paths;  // files and folders (searched for *.sketch, *.yaml, *.yml)
  OutputFormat format = OutputFormat::Text;  // Text, Json or Sarif
  unsigned jobs = 0;                         // threads; 0: one per core
};
int runCheck(const CheckOptions& options, CommandIO& io);

struct SummaryOptions {
  std::string path;
  OutputFormat format = OutputFormat::Text;
  std::string inputShape;  // infer at this input type (one input), e.g. float32[1, 3, 224, 224]
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

struct CompileOptions {
  std::string path;
  std::string kernel;   // empty: from the output's extension
  std::string weights;  // --weights: safetensors or any importable model file
  bool reinitMismatched = false;  // --reinit-mismatched: initialise params that no longer fit
  ExportOptions exportOptions;
};
int runCompile(const CompileOptions& options, CommandIO& io);

struct KernelsOptions {
  OutputFormat format = OutputFormat::Text;
};
/// Lists every kernel (built-in, then Lua plug-ins) with extensions, ops and origin.
int runKernels(const KernelsOptions& options, CommandIO& io);

struct OpsOptions {
  std::vector<std::string> names;  // empty: every op, one signature each
  OutputFormat format = OutputFormat::Text;
};
/// Lists catalogue ops: signature, which kernels write and read each; with names, every
/// attribute's type and doc too.
int runOps(const OpsOptions& options, CommandIO& io);

struct ImportCommandOptions {
  std::string model;
  std::string output;   // OUT.sketch or OUT.yaml
  std::string weights;  // empty: OUT with .safetensors
  std::string format;   // "sketch" or "yaml"; empty: from the output's extension
  std::string kernel;   // empty: from the model's extension
  ImportOptions importOptions;
};
int runImport(const ImportCommandOptions& options, CommandIO& io);

struct ConvertOptions {
  std::string input;        // any model a kernel imports
  std::string inputKernel;  // --from: empty: from the input's extension
  ImportOptions importOptions;
  std::string kernel;       // empty: from the output's extension
  ExportOptions exportOptions;
};
int runConvert(const ConvertOptions& options, CommandIO& io);

struct DiffOptions {
  std::string before;  // sketches or importable models
  std::string after;
  OutputFormat format = OutputFormat::Text;
};
/// 0 when the two graphs are equal, 1 when they differ, 2 when either cannot be read.
int runDiff(const DiffOptions& options, CommandIO& io);

struct RenderOptions {
  std::string path;    // a sketch or an importable model
  std::string output;  // .svg, .png or .dot; "-": stdout
  std::string to;      // "svg", "png" or "dot"; empty: from the output's extension
  int depth = -1;      // groups nested deeper than this become one box; -1: none
};
int runRender(const RenderOptions& options, CommandIO& io);

}  // namespace sketch
