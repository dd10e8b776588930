#include "torch_options.h"

namespace sketch {

const char kTorchKernelName[] = "torch";

std::vector<std::string> torchExtensions() { return {".pth", ".pt"}; }

std::string torchDescription() {
  return "PyTorch: TorchScript archives (torch.jit.load) and state_dicts (torch.load)";
}

const KernelOption& stateDictOption() {
  static const KernelOption option = KernelOption::flag(
      "state-dict", "write a plain state_dict for torch.load instead of a TorchScript archive");
  return option;
}

const KernelOption& emitTextOption() {
  static const KernelOption option = KernelOption::flag(
      "emit-text", "also write OUT.py (every module's forward) and OUT.txt (the module tree)");
  return option;
}

std::vector<KernelOption> torchOptions() { return {stateDictOption(), emitTextOption()}; }

}  // namespace sketch
