// The kernels compiled into the tools, registered explicitly (no static constructors).
#pragma once

#include "kernel/kernel_registry.h"

namespace sketch {

void registerBuiltinKernels(KernelRegistry& registry);

}  // namespace sketch
