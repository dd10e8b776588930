#include <filesystem>

#include "core/file_system.h"
#include "driver/commands.h"
#include "driver/model_weights.h"
#include "driver/pipeline.h"
#include "driver/select_kernel.h"
#include "driver/write_model.h"
#include "weights/safetensors.h"

namespace sketch {

namespace {

bool isSafetensors(const std::string& path) {
  return std::filesystem::path(path).extension() == ".safetensors";
}

OnShapeMismatch onShapeMismatch(const CompileOptions& options) {
  return options.reinitMismatched ? OnShapeMismatch::Reinitialise : OnShapeMismatch::Error;
}

// --weights may name any model a kernel can import: its tensors are bound by name.
std::optional<WeightStore> weightsFromModel(const CompileOptions& options, const Graph& graph,
                                            CommandIO& io, DiagnosticEngine& diags) {
  const Kernel* importer = selectKernel(*io.kernels, "", options.weights, diags);
  if (!importer) return std::nullopt;
  ImportOptions importOptions;
  importOptions.weightsOnly = true;
  std::optional<ImportedModel> model = importer->importModel(options.weights, importOptions, diags);
  if (!model) return std::nullopt;
  return bindWeights(paramRequests(graph), &model->weights, options.weights, kDefaultSeed, diags,
                     onShapeMismatch(options));
}

}  // namespace

int runCompile(const CompileOptions& options, CommandIO& io) {
  RealFileSystem fs;
  SourceManager sources;
  DiagnosticEngine diags(sources, io.errorLimit);
  auto finish = [&] { return finishCommand(diags, io); };
  const std::string& output = options.exportOptions.outputPath;
  const Kernel* kernel = selectKernel(*io.kernels, options.kernel, output, diags);
  if (!kernel) return finish();
  std::optional<CheckedSketch> checked = checkSketch(options.path, fs, sources, diags);
  if (!checked || diags.hasErrors()) return finish();
  // Every op the kernel cannot express is listed before anything is read or written.
  if (reportUnsupported(*kernel, checked->graph, diags) > 0) return finish();
  std::optional<WeightStore> weights =
      options.weights.empty() || isSafetensors(options.weights)
          ? modelWeights(checked->graph, options.path, options.weights, diags,
                         onShapeMismatch(options))
          : weightsFromModel(options, checked->graph, io, diags);
  if (!weights || diags.hasErrors()) return finish();
  writeModel(*kernel, checked->graph, *weights, options.exportOptions, {options.path, options.weights},
             diags);
  return finish();
}

}  // namespace sketch
