#include <filesystem>

#include "core/atomic_file.h"
#include "driver/commands.h"
#include "driver/load_model.h"
#include "driver/model_weights.h"
#include "graph/build_graph.h"
#include "graph/check_outputs.h"
#include "graph/infer_shapes.h"
#include "graph/raise_graph.h"
#include "lang/parser.h"
#include "lang/printer.h"
#include "lang/yaml_frontend.h"
#include "weights/safetensors.h"

namespace sketch {

namespace {

namespace fs = std::filesystem;

// The printed sketch must check on its own and need exactly the imported tensors; anything
// else is a bug in an importer or in raising, caught here before a file is written.
bool verifyPrinted(const std::string& text, bool yaml, const WeightStore& weights,
                   DiagnosticEngine& diags, const std::string& output) {
  SourceManager sources;
  DiagnosticEngine check(sources, diags.errorLimit());
  FileId file = sources.addFile(output, text);
  ast::Module module = yaml ? parseYaml(file, sources, check) : parseSketch(file, sources, check);
  Graph graph = buildGraph(module, check);
  if (inferShapes(graph, check)) checkOutputs(graph, check, file);
  if (!check.hasErrors()) bindWeights(paramRequests(graph), &weights, output, kDefaultSeed, check);
  if (check.diagnostics().empty()) return true;
  Diagnostic& d = diags.reportFile(diag::InternalError, output,
                                   "internal error: the imported sketch does not check: " +
                                       check.diagnostics().front().message);
  d.help = "please report this with the model file";
  return false;
}

WeightStore renameTensors(const WeightStore& weights, const std::map<std::string, std::string>& renamed) {
  if (renamed.empty()) return weights;
  WeightStore out;
  out.metadata() = weights.metadata();
  for (const auto& [name, tensor] : weights) {
    auto it = renamed.find(name);
    out.insert(it == renamed.end() ? name : it->second, tensor);
  }
  return out;
}

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
  RaisedSketch raised = raiseGraph(model->graph, directive);
  WeightStore weights = renameTensors(model->weights, raised.renamedParams);
  std::string text = yaml ? printYaml(raised.module) : printSketch(raised.module);
  if (verifyPrinted(text, yaml, weights, diags, options.output))
    writeOutputs(options, weightsPath, weights, text, diags);
  return finish();
}

}  // namespace sketch
