// Writing a ModuleTree with its weights as PyTorch files. The only header of the export
// that LibTorch's implementation stands behind; callers never include LibTorch.
#pragma once

#include "diag/diagnostic.h"
#include "kernel/kernel.h"
#include "module_tree.h"

namespace sketch {

/// A TorchScript archive (torch.jit.load) of the tree, with every parameter and buffer.
bool writeTorchScript(const ModuleTree& tree, const WeightStore& weights,
                      const ExportOptions& options, DiagnosticEngine& diags);

/// A plain state_dict (torch.load): a dict from state_dict key to tensor.
bool writeStateDict(const ModuleTree& tree, const WeightStore& weights,
                    const ExportOptions& options, DiagnosticEngine& diags);

/// Writes `bytes` to `path` through a temporary file; reports and returns false on failure.
bool writeAtomically(const std::string& path, const void* bytes, size_t size,
                     const ExportOptions& options, DiagnosticEngine& diags);

}  // namespace sketch
