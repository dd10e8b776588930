// Loading a TorchScript archive, and its module's parameters and buffers as sketch
// tensors. Includes LibTorch: for the kernel's LibTorch translation units only.
#pragma once

#include <torch/script.h>

#include <functional>
#include <string>

#include "diag/diagnostic.h"
#include "weights/tensor.h"

namespace sketch {

/// The compilation unit to load an archive into (torch::jit::import_ir_module). It drops
/// its functions when it goes: a compilation that fails part way (a damaged code record)
/// leaves them in a reference cycle that LibTorch 1.13 never frees.
struct LoadedCode {
  std::shared_ptr<torch::jit::CompilationUnit> unit = std::make_shared<torch::jit::CompilationUnit>();
  ~LoadedCode() { unit->drop_all_functions(); }
};

/// Adds every parameter and buffer of `module` whose state_dict name `keep` accepts to
/// `weights`, as views that share LibTorch's memory; reports (in `path`) a tensor of a
/// type the store has no dtype for.
bool addModuleTensors(const torch::jit::Module& module,
                       const std::function<bool(const std::string&)>& keep,
                       WeightStore& weights, const std::string& path, DiagnosticEngine& diags);

}  // namespace sketch
