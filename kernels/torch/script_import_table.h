// How the TorchScript importer reads a module or a call through the op table's rows
// (torch_ops.h). No LibTorch here: script_import.cpp walks the archive and asks these.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "torch_ops.h"

namespace sketch {

/// The constructor arguments of catalogue op `op` (read by `row`) for module `module`, by
/// keyword. Attributes the module does not record keep the op's defaults.
std::vector<CallArgument> moduleArguments(const OpDef& op, const TorchOp& row,
                                          const ScriptModuleView& module);

/// Whether the module keeps its constructor arguments: torch.jit.script keeps them as
/// attributes and constants; torch.jit.trace keeps only parameters and submodules.
bool recordsArguments(const OpDef& op, const ScriptModuleView& module);

/// The constructor arguments of `op` from its traced call and parameter shapes; nothing
/// when the call is not one the row (or, for parameter-free modules, a forward-code call)
/// reads.
std::optional<std::vector<CallArgument>> tracedArguments(const OpDef& op, const TorchOp& row,
                                                         const TracedCall& call,
                                                         const ScriptModuleView& module);

/// Whether `slice` selects everything (`y[:, -1]` slices dim 0 whole before selecting).
bool isWholeSlice(const std::vector<CallArgument>& arguments);

// Readers of traced modules, for the table's rows.
std::optional<std::vector<CallArgument>> tracedConvolution(const TracedCall& call,
                                                           const ScriptModuleView& module);
std::optional<std::vector<CallArgument>> tracedLinear(const TracedCall& call,
                                                      const ScriptModuleView& module);
std::optional<std::vector<CallArgument>> tracedBatchNorm(const TracedCall& call,
                                                         const ScriptModuleView& module);
std::optional<std::vector<CallArgument>> tracedLayerNorm(const TracedCall& call,
                                                         const ScriptModuleView& module);
std::optional<std::vector<CallArgument>> tracedEmbedding(const TracedCall& call,
                                                         const ScriptModuleView& module);
std::optional<std::vector<CallArgument>> tracedRecurrent(const TracedCall& call,
                                                         const ScriptModuleView& module);

// Fixes of aten arguments whose TorchScript form differs from the attribute.
void dtypeCode(std::vector<CallArgument>& arguments);  // c10::ScalarType codes
/// The c10::ScalarType code of a dtype name: TorchScript compiled from C++ cannot resolve
/// `torch.float32`, so written code passes dtype= as the code.
std::optional<int64_t> scalarTypeCode(const std::string& dtype);
void singleDim(std::vector<CallArgument>& arguments);  // torch.mean(x, [1]) is Mean(dim=1)
void openEnd(std::vector<CallArgument>& arguments);    // x[a:] ends at sys.maxsize
void inPlace(std::vector<CallArgument>& arguments);    // relu_ is ReLU(inplace=True)

}  // namespace sketch
