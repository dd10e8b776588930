// ModuleLoader: finds a kernel module (`sketch_<name>_kernel.so`) and loads it with dlopen.
//
// The search order is the folder `../lib/sketch/` next to the running binary (an install,
// and the build tree, which puts modules in build/lib/sketch beside build/bin), then every
// folder of $SKETCH_KERNEL_PATH. Every failure is a diagnostic that names the file:
// cannot load (with dlerror's reason), no entry point, wrong ABI version, no factory.
// Nothing here knows any particular kernel or links its dependencies.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "kernel/kernel.h"

namespace sketch {

/// File name of the module that implements kernel `name`.
std::string kernelModuleFileName(const std::string& name);

/// Folders searched for kernel modules, in order.
std::vector<std::string> kernelModuleSearchPath();

/// A kernel made by a loaded module. Destroying it deletes the kernel, then unloads the
/// module (the kernel's code lives in it).
class LoadedKernel {
 public:
  LoadedKernel(void* handle, Kernel* kernel) : handle_(handle), kernel_(kernel) {}
  ~LoadedKernel();
  LoadedKernel(const LoadedKernel&) = delete;
  LoadedKernel& operator=(const LoadedKernel&) = delete;

  const Kernel& kernel() const { return *kernel_; }

 private:
  void* handle_;
  Kernel* kernel_;
};

/// Loads the module file at `path` and makes its kernel; `expectedName` must be the name
/// the module declares. Returns null after reporting why.
std::unique_ptr<LoadedKernel> loadKernelModule(const std::string& path,
                                               const std::string& expectedName,
                                               DiagnosticEngine& diags);

/// Whether this process has loaded a kernel module (whose libraries stay mapped until exit).
bool kernelModuleLoaded();

/// Finds kernel `name`'s module on the search path and loads it. Returns null after
/// reporting why (a missing module lists the folders searched).
std::unique_ptr<LoadedKernel> findKernelModule(const std::string& name, DiagnosticEngine& diags);

}  // namespace sketch
