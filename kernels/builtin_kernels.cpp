#include "builtin_kernels.h"

#include "onnx_kernel.h"
#include "t7_kernel.h"

namespace sketch {

void registerBuiltinKernels(KernelRegistry& registry) {
  registry.add(makeOnnxKernel());
  registry.add(makeT7Kernel());
}

}  // namespace sketch
