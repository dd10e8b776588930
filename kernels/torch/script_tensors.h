// Loading a TorchScript archive, and its module's parameters and buffers as sketch
// tensors. Includes LibTorch: for the kernel's LibTorch translation units only.
#pragma once

#include <torch/script.h>

#include <functional>
#include <string>

#include "diag/diagnostic.h"
#include "weights/tensor.h"

namespace sketch {

/// Loads TorchScript archives on the CPU into a compilation unit of its own, which drops
/// its functions when it goes: a compilation that fails part way (a damaged code record)
/// leaves them in a reference cycle that LibTorch 1.13 never frees. Throws what
/// torch::jit::import_ir_module throws.
class LoadedCode {
 public:
  ~LoadedCode() { unit_->drop_all_functions(); }
  /// `extra` names the extra files to read; they come back filled in. The module's tensors
  /// are views of the memory-mapped archive where the zip stores them uncompressed.
  torch::jit::Module load(const std::string& path, torch::jit::ExtraFilesMap& extra);

 private:
  std::shared_ptr<torch::jit::CompilationUnit> unit_ =
      std::make_shared<torch::jit::CompilationUnit>();
};

/// Reports what LibTorch threw while reading `path`: its first line as the error, the rest
/// (the TorchScript compiler quotes the code it stopped at) as a note.
void reportTorchError(const std::string& path, const std::string& what, DiagnosticEngine& diags);

/// What `read` returns, or nullopt with an error on `path` if LibTorch throws: a c10::Error
/// from the loader, or a plain std::exception from the TorchScript compiler when a code
/// record does not compile.
template <class Read>
auto reportingTorchErrors(const std::string& path, DiagnosticEngine& diags, Read read)
    -> decltype(read()) {
  try {
    return read();
  } catch (const c10::Error& e) {
    reportTorchError(path, e.what_without_backtrace(), diags);
  } catch (const std::exception& e) {
    reportTorchError(path, e.what(), diags);
  }
  return std::nullopt;
}

/// Adds every parameter and buffer of `module` whose state_dict name `keep` accepts to
/// `weights`, as views that share LibTorch's memory; reports (in `path`) a tensor of a
/// type the store has no dtype for.
bool addModuleTensors(const torch::jit::Module& module,
                       const std::function<bool(const std::string&)>& keep,
                       WeightStore& weights, const std::string& path, DiagnosticEngine& diags);

}  // namespace sketch
