#include "core/file_system.h"
#include "driver/commands.h"
#include "driver/imported_sketch.h"
#include "driver/load_model.h"
#include "driver/select_kernel.h"
#include "driver/write_model.h"

namespace sketch {

// import and compile in one run: the model is raised to the sketch that sketch-import would
// write, and that sketch's graph is compiled with the checks `sketchc compile` gives (the
// output kernel's coverage, every weight bound by name with its shape, which checking the
// sketch already did). So a conversion
// writes what the two steps write, and fails where they would fail; findings at a block
// point into that sketch's text, shown under the name "<MODEL as a sketch>".
int runConvert(const ConvertOptions& options, CommandIO& io) {
  SourceManager sources;
  DiagnosticEngine diags(sources, io.errorLimit);
  auto finish = [&] { return finishCommand(diags, io); };
  const Kernel* exporter = selectKernel(*io.kernels, options.kernel, options.exportOptions.outputPath, diags);
  if (!exporter) return finish();
  std::optional<ImportedModel> model =
      importModelFile(*io.kernels, options.inputKernel, options.input, options.importOptions, diags);
  if (!model) return finish();
  std::optional<ImportedSketch> sketch =
      importedSketch(*model, "", false, "<" + FileSystem::displayName(options.input) + " as a sketch>",
                     sources, diags);
  if (!sketch || reportUnsupported(*exporter, sketch->graph, diags) > 0) return finish();
  writeModel(*exporter, sketch->graph, sketch->bound, options.exportOptions, {options.input}, diags);
  return finish();
}

}  // namespace sketch
