#include "core/file_system.h"
#include "driver/commands.h"
#include "driver/pipeline.h"
#include "graph/print_graph.h"

namespace sketch {

int runGraph(const GraphOptions& options, CommandIO& io) {
  RealFileSystem fs;
  SourceManager sources;
  DiagnosticEngine diags(sources);
  std::optional<CheckedSketch> checked = checkSketch(options.path, fs, sources, diags);
  renderText(diags, io.err, useColor(io.color, 2));
  if (!checked || diags.hasErrors()) return exitCodeFor(diags);
  if (options.format == OutputFormat::Json)
    io.out << graphToJson(checked->graph, sources).dump(2) << '\n';
  else
    printAdjacency(checked->graph, io.out);
  return kExitOk;
}

}  // namespace sketch
