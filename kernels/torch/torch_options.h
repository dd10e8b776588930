// The torch kernel's name, extensions and options, which the tools know without loading the
// module (kernels/builtin_kernels.cpp stands it in with these) and the module reports alike.
// No LibTorch here.
#pragma once

#include <string>
#include <vector>

#include "kernel/kernel.h"

namespace sketch {

extern const char kTorchKernelName[];
std::vector<std::string> torchExtensions();
std::string torchDescription();

/// --state-dict: a plain state_dict for torch.load instead of a TorchScript archive.
const KernelOption& stateDictOption();
/// --emit-text: OUT.py (every module's forward) and OUT.txt (the module tree) beside it.
const KernelOption& emitTextOption();
std::vector<KernelOption> torchOptions();

}  // namespace sketch
