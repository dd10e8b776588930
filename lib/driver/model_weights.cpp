#include "driver/model_weights.h"

#include <filesystem>

namespace sketch {

std::vector<ParamRequest> paramRequests(const Graph& graph) {
  std::vector<ParamRequest> requests;
  for (const Node& node : graph.nodes)
    for (const ParamSpec& spec : node.params)
      requests.push_back({spec.name.empty() ? node.path : node.path + "." + spec.name, spec, node.span});
  return requests;
}

std::optional<WeightStore> modelWeights(const Graph& graph, const std::string& sketchPath,
                                        const std::string& overridePath, DiagnosticEngine& diags) {
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
  return bindWeights(paramRequests(graph), loaded ? &*loaded : nullptr, path, kDefaultSeed, diags);
}

}  // namespace sketch
