// The parameters and buffers of a loaded TorchScript module as sketch tensors. Includes
// LibTorch: for the kernel's LibTorch translation units only.
#pragma once

#include <torch/script.h>

#include <functional>
#include <string>

#include "diag/diagnostic.h"
#include "weights/tensor.h"

namespace sketch {

/// Adds every parameter and buffer of `module` whose state_dict name `keep` accepts to
/// `weights`, as views that share LibTorch's memory; reports (in `path`) a tensor of a
/// type the store has no dtype for.
bool addModuleTensors(const torch::jit::Module& module,
                       const std::function<bool(const std::string&)>& keep,
                       WeightStore& weights, const std::string& path, DiagnosticEngine& diags);

}  // namespace sketch
