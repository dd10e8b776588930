#include "core/file_system.h"
#include "driver/commands.h"
#include "driver/pipeline.h"
#include "driver/summary.h"

namespace sketch {

int reportOnSketch(const std::string& path, CommandIO& io,
                   const std::function<void(const CheckedSketch&, const SourceManager&)>& report,
                   const std::string& inputShape) {
  RealFileSystem fs;
  SourceManager sources;
  DiagnosticEngine diags(sources, io.errorLimit);
  std::optional<CheckedSketch> checked = checkSketch(path, fs, sources, diags, inputShape);
  int code = finishCommand(diags, io);
  if (!checked || diags.hasErrors()) return code;
  report(*checked, sources);
  return kExitOk;
}

int runSummary(const SummaryOptions& options, CommandIO& io) {
  return reportOnSketch(options.path, io, [&](const CheckedSketch& checked, const SourceManager&) {
    Summary summary = summarize(checked.graph);
    if (options.format == OutputFormat::Json)
      writeJson(io.out, summaryJson(checked.graph, summary, FileSystem::displayName(options.path)));
    else
      printSummary(checked.graph, summary, io.out);
  }, options.inputShape);
}

}  // namespace sketch
