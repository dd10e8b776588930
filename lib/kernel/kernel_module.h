// The entry point of a kernel built as a separate shared module (kernels/torch/), in the
// manner of LLVM's pass plugins: the module exports one `extern "C"` function that returns
// a plain struct, so the loader can check the ABI version before it touches anything C++.
//
// The Kernel the factory returns crosses the module boundary as a C++ object, so a module
// must be built from the same sources and compiler as the tool that loads it; the ABI
// version says when that contract changes. Depends only on kernel/kernel.h.
#pragma once

#include <cstdint>

#include "kernel/kernel.h"

namespace sketch {

/// Raised whenever Kernel, Graph, WeightStore or DiagnosticEngine change layout.
constexpr uint32_t kKernelModuleAbi = 1;

/// Name of the symbol every kernel module exports.
constexpr const char* kKernelModuleEntry = "sketch_kernel_module";

}  // namespace sketch

extern "C" {

struct SketchKernelModule {
  uint32_t abiVersion;  // kKernelModuleAbi of the sources the module was built from
  const char* name;     // the kernel's name ("torch")
  const char* version;  // SKETCH_VERSION of the module
  /// Makes the kernel; the caller owns it and deletes it before unloading the module.
  sketch::Kernel* (*makeKernel)();
};

typedef const SketchKernelModule* (*SketchKernelModuleEntry)();

}

#define SKETCH_EXPORT __attribute__((visibility("default")))
