#include "kernel/module_kernel.h"

namespace sketch {

const Kernel* ModuleKernel::load(DiagnosticEngine* diags) const {
  if (!tried_) {
    tried_ = true;
    SourceManager noSources;
    DiagnosticEngine loadDiags(noSources);
    loaded_ = findKernelModule(info_.name, loadDiags);
    loadErrors_ = loadDiags.diagnostics();
  }
  if (loaded_) return &loaded_->kernel();
  if (diags) {
    for (const Diagnostic& error : loadErrors_)
      diags->reportFile(error.kind, error.file, error.message).help = error.help;
    loadErrors_.clear();  // reported once
  }
  return nullptr;
}

bool ModuleKernel::supports(const Node& node) const {
  if (info_.supports) return info_.supports(node);
  const Kernel* kernel = load(nullptr);
  return !kernel || kernel->supports(node);
}

std::string ModuleKernel::limitation(const Node& node) const {
  if (info_.limitation) return info_.limitation(node);
  const Kernel* kernel = load(nullptr);
  return kernel ? kernel->limitation(node) : "";
}

bool ModuleKernel::exportModel(const Graph& graph, const WeightStore& weights,
                               const ExportOptions& options, DiagnosticEngine& diags) const {
  const Kernel* kernel = load(&diags);
  return kernel && kernel->exportModel(graph, weights, options, diags);
}

std::optional<ImportedModel> ModuleKernel::importModel(const std::string& path,
                                                       const ImportOptions& options,
                                                       DiagnosticEngine& diags) const {
  const Kernel* kernel = load(&diags);
  if (!kernel) return std::nullopt;
  return kernel->importModel(path, options, diags);
}

}  // namespace sketch
