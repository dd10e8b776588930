// The torch kernel and the module's entry point (kernel/kernel_module.h). Only the files
// listed as torch_sources in CMakeLists.txt include LibTorch (huge_page_allocator.cpp
// includes only its allocator header).
#include <filesystem>

#include "core/crash_context.h"
#include "huge_page_allocator.h"
#include "kernel/kernel_module.h"
#include "module_tree.h"
#include "script_import.h"
#include "script_weights.h"
#include "state_dict_reader.h"
#include "torch_export.h"
#include "torch_ops.h"
#include "torch_options.h"

namespace sketch {

namespace {

class TorchKernel : public Kernel {
 public:
  std::string name() const override { return kTorchKernelName; }
  std::vector<std::string> extensions() const override { return torchExtensions(); }
  std::string description() const override { return torchDescription(); }
  std::vector<std::string> opNames() const override { return torchOps().writtenOps(); }
  std::vector<std::string> readOpNames() const override { return torchOps().readOps(); }
  std::vector<KernelOption> options() const override { return torchOptions(); }

  bool supports(const Node& node) const override { return torchOps().supports(node); }
  std::string limitation(const Node& node) const override { return torchOps().limitation(node); }

  bool exportModel(const Graph& graph, const WeightStore& weights, const ExportOptions& options,
                   DiagnosticEngine& diags) const override {
    std::optional<ModuleTree> tree = buildModuleTree(graph, diags);
    if (!tree) return false;
    if (options.value(emitTextOption()).asBool() && !writeText(*tree, options, diags)) return false;
    return options.value(stateDictOption()).asBool() ? writeStateDict(*tree, weights, options, diags)
                             : writeTorchScript(*tree, weights, options, diags);
  }

  bool canImport() const override { return true; }

  /// TorchScript archives read back as models; state_dicts give only weights (for
  /// `compile --weights`).
  std::optional<ImportedModel> importModel(const std::string& path, const ImportOptions& options,
                                           DiagnosticEngine& diags) const override {
    // LibTorch's loader crashes on some damaged archives (tests/fuzz/README.md).
    CrashContext crashes(path, "LibTorch crashed while reading it; the archive is damaged");
    TorchFileKind kind = classifyTorchFile(path, diags);
    if (kind == TorchFileKind::Unreadable) return std::nullopt;
    if (kind == TorchFileKind::TorchScript)
      return options.weightsOnly ? withWeights(readTorchScriptWeights(path, diags))
                                 : importTorchScript(path, options, diags);
    // Read it even when only an architecture would do: a whole pickled module is refused
    // with its own explanation.
    std::optional<WeightStore> weights = readStateDict(path, diags);
    if (!weights) return std::nullopt;
    if (!options.weightsOnly) {
      diags.reportFile(diag::NoArchitecture, path, "a state_dict holds weights but no architecture")
          .help = "bind its weights to a sketch of the model: sketchc compile MODEL.sketch --weights " + path;
      return std::nullopt;
    }
    return withWeights(std::move(weights));
  }

 private:
  static std::optional<ImportedModel> withWeights(std::optional<WeightStore> weights) {
    if (!weights) return std::nullopt;
    return ImportedModel{Graph(), std::move(*weights)};
  }

  /// `x.pth` gets `x.py` (the forward of every module) and `x.txt` (print(model)).
  static bool writeText(const ModuleTree& tree, const ExportOptions& options,
                        DiagnosticEngine& diags) {
    if (options.outputPath == "-") {
      diags.reportFile(diag::FileWrite, "<stdout>", "--emit-text writes files beside the model")
          .help = "name the model file with -o";
      return false;
    }
    std::filesystem::path base(options.outputPath);
    std::string code = moduleTreeCode(tree), repr = moduleTreeRepr(tree);
    return writeAtomically(base.replace_extension(".py").string(), code.data(), code.size(),
                           options, diags) &&
           writeAtomically(base.replace_extension(".txt").string(), repr.data(), repr.size(),
                           options, diags);
  }
};

Kernel* makeTorchKernel() {
  allocateLargeTensorsOnHugePages();
  return new TorchKernel();
}

}  // namespace

}  // namespace sketch

extern "C" SKETCH_EXPORT const SketchKernelModule* sketch_kernel_module() {
  static const SketchKernelModule info{sketch::kKernelModuleAbi, "torch", SKETCH_VERSION,
                                       &sketch::makeTorchKernel};
  return &info;
}
