// How a TorchScript archive maps onto the catalogue when it is imported. No LibTorch here:
// script_import.cpp walks the archive and asks these tables.
//
// Two tables. Modules: a torch.nn module (or a leaf this kernel wrote) whose class name is a
// catalogue op becomes one block; its constructor arguments come from same-named
// attributes, except where a row says how torch.nn keeps them (TransformerEncoderLayer
// keeps `nhead` as `self_attn.num_heads`). Functions: an aten call in forward code (the
// `out += identity` of a ResNet block, torch.flatten, torch.cat) becomes one block, each
// of its arguments a port, an attribute, or ignored.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "ops/bind_arguments.h"

namespace sketch {

/// What the module table may ask of a scripted module.
class ScriptModuleView {
 public:
  virtual ~ScriptModuleView() = default;
  /// A plain attribute or class constant by dotted path (`self_attn.num_heads`); nothing
  /// when absent or not a plain value (a tensor, a module).
  virtual std::optional<Value> value(const std::string& dotted) const = 0;
  /// Whether a parameter or buffer `dotted` is set (not None).
  virtual bool hasTensor(const std::string& dotted) const = 0;
  /// Whether an attribute `dotted` exists at all (as a value, tensor, None or module).
  virtual bool has(const std::string& dotted) const = 0;
  /// The shape of tensor `dotted`; empty when it is not a tensor.
  virtual std::vector<int64_t> tensorShape(const std::string& dotted) const = 0;
};

/// The constructor arguments of catalogue op `op` for module `module`, by keyword.
/// Attributes the module does not record keep the op's defaults.
std::vector<CallArgument> moduleArguments(const OpDef& op, const ScriptModuleView& module);

/// Whether the module keeps its constructor arguments: torch.jit.script keeps them as
/// attributes and constants; torch.jit.trace keeps only parameters and submodules.
bool recordsArguments(const OpDef& op, const ScriptModuleView& module);

/// The one aten call a traced torch.nn module's forward makes (torch.jit.trace keeps no
/// constructor arguments, only parameters and this call).
struct TracedCall {
  std::string kind;                             // "aten::_convolution"
  std::vector<std::optional<Value>> constants;  // per argument, when it is a constant
  std::vector<std::string> params;              // per argument: the tensor it reads, or ""
};

/// The constructor arguments of `op` from its traced call and parameter shapes; nothing
/// when the call is not one this table reads.
std::optional<std::vector<CallArgument>> tracedArguments(const OpDef& op, const TracedCall& call,
                                                         const ScriptModuleView& module);

enum class AtenArgRole { Input, Inputs, Attr, Ignore };

struct AtenArg {
  AtenArgRole role;
  const char* attr = nullptr;  // for Attr
};

/// One row of the function table.
struct AtenFunction {
  const char* kind;  // "aten::flatten"
  /// Catalogue op; null when the call passes its first argument through (contiguous, and
  /// dropout outside training).
  const char* op;
  std::vector<AtenArg> args;  // by schema position
  /// Fixes values whose TorchScript form differs from the attribute (dtype codes).
  void (*adjust)(std::vector<CallArgument>&) = nullptr;
};

/// The row for `kind` called with `argumentCount` arguments; null when there is none.
const AtenFunction* findAtenFunction(const std::string& kind, size_t argumentCount);

/// Whether `slice` selects everything (`y[:, -1]` slices dim 0 whole before selecting).
bool isWholeSlice(const std::vector<CallArgument>& arguments);

}  // namespace sketch
