#include "builtin_kernels.h"

#include "onnx_kernel.h"

namespace sketch {

void registerBuiltinKernels(KernelRegistry& registry) {
  registry.add(makeOnnxKernel());
}

}  // namespace sketch
