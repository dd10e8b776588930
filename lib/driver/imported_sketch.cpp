#include "driver/imported_sketch.h"

#include "driver/model_weights.h"
#include "graph/build_graph.h"
#include "graph/check_outputs.h"
#include "graph/infer_shapes.h"
#include "graph/raise_graph.h"
#include "lang/parser.h"
#include "lang/printer.h"
#include "lang/yaml_frontend.h"

namespace sketch {

namespace {

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

}  // namespace

std::optional<ImportedSketch> importedSketch(const ImportedModel& model,
                                             const std::string& weightsDirective, bool yaml,
                                             const std::string& name, SourceManager& sources,
                                             DiagnosticEngine& diags) {
  RaisedSketch raised = raiseGraph(model.graph, weightsDirective);
  ImportedSketch out;
  out.weights = renameTensors(model.weights, raised.renamedParams);
  out.text = yaml ? printYaml(raised.module) : printSketch(raised.module);
  DiagnosticEngine check(sources, diags.errorLimit());
  FileId file = sources.addFile(name, out.text);
  ast::Module module = yaml ? parseYaml(file, sources, check) : parseSketch(file, sources, check);
  out.graph = buildGraph(module, check);
  if (inferShapes(out.graph, check)) checkOutputs(out.graph, check, file);
  if (!check.hasErrors())
    out.bound = bindWeights(paramRequests(out.graph), &out.weights, name, kDefaultSeed, check);
  if (check.diagnostics().empty()) return out;
  Diagnostic& d = diags.reportFile(diag::InternalError, name,
                                   "internal error: the imported sketch does not check: " +
                                       check.diagnostics().front().message);
  d.help = "please report this with the model file";
  return std::nullopt;
}

}  // namespace sketch
