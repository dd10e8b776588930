#include "kernel/module_loader.h"

#include <dlfcn.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <spdlog/spdlog.h>

#include "kernel/kernel_module.h"

namespace sketch {

namespace {

namespace fs = std::filesystem;

std::atomic<bool> moduleLoaded{false};

Diagnostic& reportModule(DiagnosticEngine& diags, const std::string& path, std::string message) {
  return diags.reportFile(diag::KernelModule, path, std::move(message));
}

std::string dlError() {
  const char* reason = dlerror();
  return reason ? reason : "unknown reason";
}

// Checks the module's declaration; returns its factory or null after reporting.
Kernel* (*checkedFactory(void* handle, const std::string& path, const std::string& expectedName,
                         DiagnosticEngine& diags))() {
  dlerror();
  void* symbol = dlsym(handle, kKernelModuleEntry);
  if (!symbol) {
    reportModule(diags, path, std::string("not a kernel module: no entry point '") +
                                  kKernelModuleEntry + "'");
    return nullptr;
  }
  auto entry = reinterpret_cast<SketchKernelModuleEntry>(symbol);
  const SketchKernelModule* info = entry();
  if (!info) {
    reportModule(diags, path, "the kernel module declares nothing");
    return nullptr;
  }
  if (info->abiVersion != kKernelModuleAbi) {
    reportModule(diags, path,
                 "wrong kernel module ABI version: got " + std::to_string(info->abiVersion) +
                     ", supported " + std::to_string(kKernelModuleAbi))
        .help = "rebuild the module with the same sketchc sources";
    return nullptr;
  }
  std::string name = info->name ? info->name : "";
  if (name != expectedName) {
    reportModule(diags, path,
                 "the kernel module implements '" + name + "', expected '" + expectedName + "'");
    return nullptr;
  }
  if (!info->makeKernel) reportModule(diags, path, "the kernel module has no kernel factory");
  return info->makeKernel;
}

std::string executableFolder() {
  std::error_code error;
  fs::path exe = fs::read_symlink("/proc/self/exe", error);
  return error ? std::string() : exe.parent_path().string();
}

}  // namespace

std::string kernelModuleFileName(const std::string& name) {
  return "sketch_" + name + "_kernel.so";
}

std::vector<std::string> kernelModuleSearchPath() {
  std::vector<std::string> folders;
  std::string exe = executableFolder();
  // build/bin/../lib/sketch is also where the build tree puts modules.
  if (!exe.empty()) folders.push_back((fs::path(exe) / ".." / "lib" / "sketch").lexically_normal().string());
  if (const char* env = std::getenv("SKETCH_KERNEL_PATH")) {
    std::string list = env;
    size_t start = 0;
    while (start <= list.size()) {
      size_t end = list.find(':', start);
      if (end == std::string::npos) end = list.size();
      if (end > start) folders.push_back(list.substr(start, end - start));
      start = end + 1;
    }
  }
  return folders;
}

LoadedKernel::~LoadedKernel() {
  delete kernel_;
  dlclose(handle_);
}

std::unique_ptr<LoadedKernel> loadKernelModule(const std::string& path,
                                               const std::string& expectedName,
                                               DiagnosticEngine& diags) {
  spdlog::info("loading kernel module '{}'", path);
  // RTLD_LOCAL: the module's own copy of libsketch and its LibTorch stay private to it.
  // RTLD_NODELETE: tensors a kernel returns may live in its libraries' memory (LibTorch
  // storages), so the code that frees them must stay mapped after dlclose.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!handle) {
    reportModule(diags, path, "cannot load kernel module: " + dlError());
    return nullptr;
  }
  Kernel* (*factory)() = checkedFactory(handle, path, expectedName, diags);
  Kernel* kernel = factory ? factory() : nullptr;
  if (!kernel) {
    if (factory) reportModule(diags, path, "the kernel module's factory made no kernel");
    dlclose(handle);
    return nullptr;
  }
  moduleLoaded = true;
  return std::make_unique<LoadedKernel>(handle, kernel);
}

bool kernelModuleLoaded() { return moduleLoaded; }

std::unique_ptr<LoadedKernel> findKernelModule(const std::string& name, DiagnosticEngine& diags) {
  std::string file = kernelModuleFileName(name);
  std::vector<std::string> folders = kernelModuleSearchPath();
  for (const std::string& folder : folders) {
    fs::path candidate = fs::path(folder) / file;
    std::error_code error;
    if (fs::is_regular_file(candidate, error)) return loadKernelModule(candidate.string(), name, diags);
  }
  std::string searched;
  for (const std::string& folder : folders) searched += (searched.empty() ? "" : ", ") + folder;
  reportModule(diags, file, "the " + name + " kernel module is not installed")
      .help = "searched " + (searched.empty() ? std::string("nothing") : searched) +
              "; set SKETCH_KERNEL_PATH to the folder that holds " + file;
  return nullptr;
}

}  // namespace sketch
