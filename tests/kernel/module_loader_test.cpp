#include "kernel/module_loader.h"

#include <doctest/doctest.h>

#include <cstdlib>

#include "../core/temp_dir.h"
#include "core/mapped_file.h"
#include "kernel/kernel_module.h"
#include "kernel/module_kernel.h"

using namespace sketch;

namespace {

std::string modulePath(const std::string& kind) {
  return std::string(SKETCH_TEST_MODULE_DIR) + "/" + kind + "/" + kernelModuleFileName("test");
}

/// The one diagnostic a load reports, as "file: message".
std::string loadError(const std::string& path) {
  SourceManager sources;
  DiagnosticEngine diags(sources);
  CHECK(loadKernelModule(path, "test", diags) == nullptr);
  REQUIRE(diags.diagnostics().size() == 1);
  const Diagnostic& d = diags.diagnostics()[0];
  CHECK(d.kind == diag::KernelModule);
  return d.file + ": " + d.message;
}

}  // namespace

TEST_CASE("kernel module loader: each failure names the file") {
  std::string abi = std::to_string(kKernelModuleAbi);
  struct Case {
    const char* kind;
    std::string message;
  };
  const Case cases[] = {
      {"no_entry", "not a kernel module: no entry point 'sketch_kernel_module'"},
      {"wrong_abi", "wrong kernel module ABI version: got " + std::to_string(kKernelModuleAbi + 41) +
                        ", supported " + abi},
      {"no_factory", "the kernel module has no kernel factory"},
      {"wrong_name", "the kernel module implements 'other', expected 'test'"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.kind);
    CHECK(loadError(modulePath(c.kind)) == modulePath(c.kind) + ": " + c.message);
  }
}

TEST_CASE("kernel module loader: a file that is not a shared library") {
  test::TempDir dir;
  std::string path = dir.file(kernelModuleFileName("test"));
  test::writeFile(path, "not an ELF file");
  std::string error = loadError(path);
  CHECK(error.rfind(path + ": cannot load kernel module: ", 0) == 0);
  CHECK(error.find(path, path.size() + 1) != std::string::npos);  // dlerror's reason
}

TEST_CASE("kernel module loader: a good module makes its kernel") {
  SourceManager sources;
  DiagnosticEngine diags(sources);
  std::unique_ptr<LoadedKernel> loaded = loadKernelModule(modulePath("good"), "test", diags);
  REQUIRE(loaded);
  CHECK(loaded->kernel().name() == "test");
  CHECK(diags.diagnostics().empty());
}

TEST_CASE("kernel module loader: the module sees the files the tool mapped") {
  test::TempDir dir;
  std::string path = dir.file("w.bin");
  test::writeFile(path, std::string(64, '\x01'));
  std::string error;
  std::shared_ptr<const MappedFile> file = MappedFile::open(path, &error);
  REQUIRE_MESSAGE(file, error);
  WeightStore weights;
  weights.insert("w", Tensor::view(DType::Float32, {4, 4}, file->data(), 64, file));
  SourceManager sources;
  DiagnosticEngine diags(sources);
  std::unique_ptr<LoadedKernel> loaded = loadKernelModule(modulePath("good"), "test", diags);
  REQUIRE(loaded);
  CHECK(loaded->kernel().exportModel(Graph(), weights, {}, diags));
  CHECK(diags.diagnostics().empty());
}

TEST_CASE("kernel module loader: SKETCH_KERNEL_PATH, and a missing module lists the search") {
  std::string good = std::string(SKETCH_TEST_MODULE_DIR) + "/good";
  std::string wrong = std::string(SKETCH_TEST_MODULE_DIR) + "/wrong_abi";
  SourceManager sources;
  {
    ::setenv("SKETCH_KERNEL_PATH", ("/nonexistent:" + good + ":" + wrong).c_str(), 1);
    DiagnosticEngine diags(sources);
    CHECK(findKernelModule("test", diags) != nullptr);  // the first folder that has it wins
    CHECK(diags.diagnostics().empty());
  }
  {
    ::setenv("SKETCH_KERNEL_PATH", "/nonexistent", 1);
    DiagnosticEngine diags(sources);
    CHECK(findKernelModule("test", diags) == nullptr);
    REQUIRE(diags.diagnostics().size() == 1);
    CHECK(diags.diagnostics()[0].message == "the test kernel module is not installed");
    CHECK(diags.diagnostics()[0].help.find("/nonexistent") != std::string::npos);
  }
  {
    // The stand-in reports the failure once, at the first call with diagnostics.
    ModuleKernel kernel(ModuleKernel::Info{"test", {".test"}, "", {}, nullptr, nullptr, {}, {}});
    DiagnosticEngine diags(sources);
    Graph graph;
    CHECK_FALSE(kernel.exportModel(graph, {}, {}, diags));
    CHECK(diags.errorCount() == 1);
  }
  ::unsetenv("SKETCH_KERNEL_PATH");
}
