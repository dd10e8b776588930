#include "driver/load_model.h"

#include <filesystem>

#include "driver/pipeline.h"
#include "driver/select_kernel.h"
#include "graph/infer_shapes.h"

namespace sketch {

std::optional<ImportedModel> importModelFile(const KernelRegistry& kernels, const std::string& kernel,
                                             const std::string& path, const ImportOptions& options,
                                             DiagnosticEngine& diags) {
  const Kernel* importer = selectKernel(kernels, kernel, path, diags);
  if (!importer) return std::nullopt;
  std::optional<ImportedModel> model = importer->importModel(path, options, diags);
  if (!model || diags.hasErrors()) return std::nullopt;
  if (!inferImportedShapes(model->graph, path, diags) || diags.hasErrors()) return std::nullopt;
  // The file's name says more than format-internal names ("main_graph", "sequential").
  model->graph.name = std::filesystem::path(path).stem().stem().string();
  return model;
}

std::optional<Graph> loadGraph(const std::string& path, const KernelRegistry& kernels, FileSystem& fs,
                               SourceManager& sources, DiagnosticEngine& diags) {
  if (path != "-" && kernels.forPath(path)) {
    std::optional<ImportedModel> model = importModelFile(kernels, "", path, ImportOptions{}, diags);
    if (!model) return std::nullopt;
    return std::move(model->graph);
  }
  std::optional<CheckedSketch> checked = checkSketch(path, fs, sources, diags);
  if (!checked || diags.hasErrors()) return std::nullopt;
  return std::move(checked->graph);
}

}  // namespace sketch
