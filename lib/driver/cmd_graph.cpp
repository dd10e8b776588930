#include "driver/commands.h"
#include "driver/pipeline.h"
#include "graph/print_graph.h"

namespace sketch {

int runGraph(const GraphOptions& options, CommandIO& io) {
  return reportOnSketch(options.path, io, [&](const CheckedSketch& checked, const SourceManager& sources) {
    if (options.format == OutputFormat::Json)
      writeJson(io.out, graphToJson(checked.graph, sources));
    else
      printAdjacency(checked.graph, io.out);
  });
}

}  // namespace sketch
