#include <filesystem>

#include "core/atomic_file.h"
#include "driver/commands.h"
#include "driver/imported_sketch.h"
#include "driver/load_model.h"
#include "weights/safetensors.h"

namespace sketch {

namespace {

namespace fs = std::filesystem;

std::string defaultWeightsPath(const std::string& output) {
  return fs::path(output).replace_extension(".safetensors").string();
}

// Writes weights first and the sketch last, each through a temporary file, so that a
// sketch never names a weights file that is not complete.
void writeOutputs(const ImportCommandOptions& options, const std::string& weightsPath,
                  const WeightStore& weights, const std::string& text, DiagnosticEngine& diags) {
  std::string error;
  std::unique_ptr<AtomicFile> weightsFile = AtomicFile::open(weightsPath, &error, {options.model});
  if (weightsFile &&
      serializeSafetensors(weights, [&](const void* d, size_t n) { return weightsFile->write(d, n); },
                           &error) &&
      weightsFile->commit(&error)) {
    std::unique_ptr<AtomicFile> sketchFile = AtomicFile::open(options.output, &error, {options.model});
    if (sketchFile && sketchFile->write(text) && sketchFile->commit(&error)) return;
  }
  diags.reportFile(diag::FileWrite, options.output, error);
}

}  // namespace

int runImport(const ImportCommandOptions& options, CommandIO& io) {
  SourceManager sources;
  DiagnosticEngine diags(sources, io.errorLimit);
  auto finish = [&] { return finishCommand(diags, io); };
  std::optional<ImportedModel> model =
      importModelFile(*io.kernels, options.kernel, options.model, options.importOptions, diags);
  if (!model) return finish();

  std::string weightsPath = options.weights.empty() ? defaultWeightsPath(options.output) : options.weights;
  std::string directive =
      fs::proximate(fs::absolute(weightsPath), fs::absolute(options.output).parent_path()).string();
  bool yaml = options.format.empty() ? fs::path(options.output).extension() == ".yaml" ||
                                           fs::path(options.output).extension() == ".yml"
                                     : options.format == "yaml";
  std::optional<ImportedSketch> sketch =
      importedSketch(*model, directive, yaml, options.output, sources, diags);
  if (sketch) writeOutputs(options, weightsPath, sketch->weights, sketch->text, diags);
  return finish();
}

}  // namespace sketch
