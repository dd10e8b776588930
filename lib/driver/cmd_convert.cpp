#include "core/file_system.h"
#include "driver/commands.h"
#include "driver/load_model.h"
#include "driver/model_weights.h"
#include "driver/select_kernel.h"
#include "driver/write_model.h"
#include "graph/check_outputs.h"

namespace sketch {

// import and compile in one run, without the sketch text in between: the imported graph
// gets the checks `sketchc compile` gives a sketch (outputs, the output kernel's coverage,
// every weight bound by name with its shape), so a conversion fails where the two steps
// would have failed.
int runConvert(const ConvertOptions& options, CommandIO& io) {
  SourceManager sources;
  DiagnosticEngine diags(sources, io.errorLimit);
  auto finish = [&] { return finishCommand(diags, io); };
  const Kernel* exporter = selectKernel(*io.kernels, options.kernel, options.exportOptions.outputPath, diags);
  if (!exporter) return finish();
  std::optional<ImportedModel> model =
      importModelFile(*io.kernels, options.inputKernel, options.input, options.importOptions, diags);
  if (!model) return finish();
  // Imported graphs have no text: graph-level findings point at the model file.
  checkOutputs(model->graph, diags, sources.addFile(FileSystem::displayName(options.input), ""));
  if (diags.hasErrors() || reportUnsupported(*exporter, model->graph, diags) > 0) return finish();
  WeightStore weights =
      bindWeights(paramRequests(model->graph), &model->weights, options.input, kDefaultSeed, diags);
  if (diags.hasErrors()) return finish();
  writeModel(*exporter, model->graph, weights, options.exportOptions, {options.input}, diags);
  return finish();
}

}  // namespace sketch
