#include "builtin_kernels.h"

#include "kernel/module_kernel.h"
#include "onnx_kernel.h"
#include "t7_kernel.h"
#include "torch/torch_ops.h"
#include "torch/torch_options.h"

namespace sketch {

void registerBuiltinKernels(KernelRegistry& registry) {
  registry.add(makeOnnxKernel());
  registry.add(makeT7Kernel());
  // LibTorch costs half a second and 160 MB at load: the torch kernel is a module that is
  // loaded only when a torch file is read or written.
  // Its op table has no LibTorch in it: what it supports is known without the module.
  registry.add(std::make_unique<ModuleKernel>(ModuleKernel::Info{
      kTorchKernelName, torchExtensions(), torchDescription(), torchOptions(),
      [](const Node& node) { return torchOps().supports(node); },
      [](const Node& node) { return torchOps().limitation(node); }, torchOps().writtenOps(),
      torchOps().readOps()}));
}

}  // namespace sketch
