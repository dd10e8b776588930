// Kernel modules for the loader's tests, one per failure mode, chosen at compile time by
// TEST_MODULE_KIND; "good" makes a working kernel named "test".
#include "kernel/kernel_module.h"

#include "core/mapped_file.h"

namespace {

class TestKernel : public sketch::Kernel {
 public:
  std::string name() const override { return "test"; }
  std::vector<std::string> extensions() const override { return {".test"}; }
  std::string description() const override { return "kernel of the loader tests"; }
  bool supports(const sketch::Node&) const override { return true; }
  /// Reports each weight whose bytes the module does not see as lying in a mapped file: a
  /// real kernel's output copies those file to file (core/atomic_file.h).
  bool exportModel(const sketch::Graph&, const sketch::WeightStore& weights,
                   const sketch::ExportOptions&, sketch::DiagnosticEngine& diags) const override {
    for (const auto& [name, tensor] : weights)
      if (!sketch::MappedFile::sourceOf(tensor.data(), tensor.byteSize()))
        diags.reportFile(sketch::diag::PluginError, name, "not in a mapped file");
    return diags.errorCount() == 0;
  }
};

[[maybe_unused]] sketch::Kernel* makeKernel() { return new TestKernel(); }

}  // namespace

#define KIND_no_entry 1
#define KIND_wrong_abi 2
#define KIND_no_factory 3
#define KIND_wrong_name 4
#define KIND_good 5
#define KIND(x) KIND_##x
#define SELECTED(x) KIND(x)

#if SELECTED(TEST_MODULE_KIND) != KIND_no_entry
extern "C" SKETCH_EXPORT const SketchKernelModule* sketch_kernel_module() {
#if SELECTED(TEST_MODULE_KIND) == KIND_wrong_abi
  static const SketchKernelModule info{sketch::kKernelModuleAbi + 41, "test", "0", &makeKernel};
#elif SELECTED(TEST_MODULE_KIND) == KIND_no_factory
  static const SketchKernelModule info{sketch::kKernelModuleAbi, "test", "0", nullptr};
#elif SELECTED(TEST_MODULE_KIND) == KIND_wrong_name
  static const SketchKernelModule info{sketch::kKernelModuleAbi, "other", "0", &makeKernel};
#else
  static const SketchKernelModule info{sketch::kKernelModuleAbi, "test", "0", &makeKernel};
#endif
  return &info;
}
#endif
