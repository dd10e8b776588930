// Choosing a kernel for a file: by --kernel, else by the file's extension, with a clear
// usage error (and "did you mean") when neither works.
#pragma once

#include <string>

#include "diag/diagnostic.h"
#include "kernel/kernel_registry.h"

namespace sketch {

/// Reports UnknownFormat against `path` and returns null when no kernel fits.
const Kernel* selectKernel(const KernelRegistry& kernels, const std::string& requested,
                           const std::string& path, DiagnosticEngine& diags);

}  // namespace sketch
