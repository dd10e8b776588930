// Reading PyTorch files that torch.save wrote: the zip archive through LibTorch's stream
// reader over the memory-mapped file, the pickle through the restricted unpickler
// (state_dict_unpickler.h); the tensors are views of the mapped file where the zip stores
// them uncompressed. Nothing in a file is ever executed.
#pragma once

#include <optional>
#include <string>

#include "diag/diagnostic.h"
#include "weights/tensor.h"

namespace sketch {

enum class TorchFileKind { StateDict, TorchScript, Unreadable };

/// What a .pth/.pt file holds, judged by its records; Unreadable has been reported. A
/// TorchScript archive whose code has a __setstate__ method is refused here, before
/// torch::jit::load would run it.
TorchFileKind classifyTorchFile(const std::string& path, DiagnosticEngine& diags);

/// The tensors of a state_dict, by key in the file's order. Returns nothing after
/// reporting a file that is not a plain state_dict (and why).
std::optional<WeightStore> readStateDict(const std::string& path, DiagnosticEngine& diags);

}  // namespace sketch
