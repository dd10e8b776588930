#include <unistd.h>

#include <filesystem>

#include "core/atomic_file.h"
#include "core/file_system.h"
#include "driver/commands.h"
#include "driver/load_model.h"
#include "render/dot_graph.h"
#include "render/graphviz_render.h"

namespace sketch {

namespace {

const char* const kRenderFormats[] = {"svg", "png", "dot"};

// --to wins; else the output's extension (.gv is DOT's other usual one).
std::string renderFormat(const RenderOptions& options) {
  if (!options.to.empty()) return options.to;
  std::string ext = std::filesystem::path(options.output).extension().string();
  if (ext == ".gv") return "dot";
  for (const char* format : kRenderFormats)
    if (ext == std::string(".") + format) return format;
  return "";
}

bool writeOutput(const RenderOptions& options, const std::string& bytes, CommandIO& io,
                 DiagnosticEngine& diags) {
  if (options.output == "-") {
    io.out << bytes;
    return true;
  }
  std::string error;
  std::unique_ptr<AtomicFile> file = AtomicFile::open(options.output, &error, {options.path});
  if (file && file->write(bytes) && file->commit(&error)) return true;
  diags.reportFile(diag::FileWrite, options.output, error);
  return false;
}

}  // namespace

int runRender(const RenderOptions& options, CommandIO& io) {
  RealFileSystem fs;
  SourceManager sources;
  DiagnosticEngine diags(sources, io.errorLimit);
  auto finish = [&] { return finishCommand(diags, io); };
  std::string format = renderFormat(options);
  if (format.empty()) {
    diags.reportFile(diag::UnknownFormat, options.output, "cannot tell what to draw '" + options.output + "' as")
        .help = "name the file .svg, .png or .dot, or pass --to svg|png|dot";
    finish();
    return kExitUsage;
  }
  if (format == "png" && options.output == "-" && isatty(STDOUT_FILENO)) {
    diags.reportFile(diag::FileWrite, "<stdout>", "refusing to write a PNG image to a terminal")
        .help = "redirect the output, or name a file with -o";
    return finish();
  }
  std::optional<Graph> graph = loadGraph(options.path, *io.kernels, fs, sources, diags);
  if (!graph) return finish();
  std::string dot = graphToDot(*graph, DotOptions{options.depth});
  std::string image, error;
  if (format == "dot") {
    image = std::move(dot);
  } else if (!renderDot(dot, format, &image, &error)) {
    diags.reportFile(diag::RenderError, options.output, error);
    return finish();
  }
  writeOutput(options, image, io, diags);
  return finish();
}

}  // namespace sketch
