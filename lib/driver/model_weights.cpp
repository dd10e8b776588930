#include "driver/model_weights.h"

#include <filesystem>

namespace sketch {

namespace {

// The outermost block instance holding `node`: the call written in the sketch, whose
// arguments set the node's sizes. Invalid for a node outside any block.
Span outermostInstance(const Graph& graph, const Node& node) {
  Span instance;
  for (GroupId g = node.group; g != kNoGroup; g = graph.groups[g].parent)
    if (graph.groups[g].kind != "Sequential") instance = graph.groups[g].span;
  return instance;
}

}  // namespace

std::vector<ParamRequest> paramRequests(const Graph& graph) {
  std::vector<ParamRequest> requests;
  for (const Node& node : graph.nodes) {
    Span instance = node.params.empty() ? Span{} : outermostInstance(graph, node);
    for (const ParamSpec& spec : node.params)
      requests.push_back({spec.name.empty() ? node.path : node.path + "." + spec.name, spec,
                          node.span, instance});
  }
  return requests;
}

std::optional<WeightStore> modelWeights(const Graph& graph, const std::string& sketchPath,
                                        const std::string& overridePath, DiagnosticEngine& diags,
                                        OnShapeMismatch onMismatch) {
  std::string path = overridePath;
  Span statement;
  if (path.empty() && !graph.weightsFile.empty()) {
    // The directive is relative to the sketch, like an #include.
    std::filesystem::path base = sketchPath == "-" ? "." : std::filesystem::path(sketchPath).parent_path();
    path = (base / graph.weightsFile).lexically_normal().string();
    statement = graph.weightsSpan;
  }
  std::optional<WeightStore> loaded;
  if (!path.empty()) {
    loaded = loadWeights(path, diags, statement);
    if (!loaded) return std::nullopt;
  }
  return bindWeights(paramRequests(graph), loaded ? &*loaded : nullptr, path, kDefaultSeed, diags,
                     onMismatch);
}

}  // namespace sketch
