#include "builtin_kernels.h"

#include "kernel/module_kernel.h"
#include "onnx_kernel.h"
#include "t7_kernel.h"

namespace sketch {

void registerBuiltinKernels(KernelRegistry& registry) {
  registry.add(makeOnnxKernel());
  registry.add(makeT7Kernel());
  // LibTorch costs half a second and 160 MB at load: the torch kernel is a module that is
  // loaded only when a torch file is read or written.
  registry.add(std::make_unique<ModuleKernel>(
      "torch", std::vector<std::string>{".pth", ".pt"},
      "PyTorch: TorchScript archives (torch.jit.load) and state_dicts (torch.load)"));
}

}  // namespace sketch
