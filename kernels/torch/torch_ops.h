// The torch kernel's op table (lib/kernel/op_mapping.h): one row per catalogue op or family,
// read by export and by the TorchScript importer. No LibTorch here: emitters produce
// TorchScript source text, which torch_export.cpp compiles with torch::jit::Module::define,
// and the importer (script_import.cpp) asks the rows how to read what it walks.
//
// Ops that are torch.nn modules become submodules with a forward of their own, whose
// parameters are attributes of `self`; tensor functions (Add, Concat, ...) are expressions
// in their parent's forward. An emitter sees the node, the expressions of its input ports
// ("None" for an unconnected optional port) and returns statements plus a result
// expression (a tuple expression when the node has several outputs).
//
// Reading back: a module's constructor arguments are its attributes of the same names
// unless the row maps them (TransformerEncoderLayer keeps `nhead` as `self_attn.num_heads`),
// or flags that say whether a tensor is set (MultiheadAttention's `bias`); a traced module
// keeps none, so the row reads them from the aten call its forward makes; a call in forward
// code (`out += identity`, torch.flatten) reads as the row whose aten signature it matches.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "graph/graph.h"
#include "kernel/op_mapping.h"

namespace sketch {

struct TorchEmitContext {
  const Node& node;
  std::vector<std::string> inputs;  // one per input port; variadic ports: one per link
  std::vector<int> inputRanks;      // ranks of the input types (-1 when unconnected)
  /// "self.weight" for a module op's parameter (dotted names are nested submodules), the
  /// attribute of the parent module for inline ops; "None" when the node has no such param.
  std::string param(const std::string& name) const;
  bool hasParam(const std::string& name) const;
  /// The attribute as a TorchScript literal (IntN attributes expanded to their rank).
  std::string attr(const std::string& name) const;
  const Value& value(const std::string& name) const { return node.attrs.at(name); }
  /// Prefix of the parameter attributes: "self." for module ops, "self.<node>_" otherwise.
  std::string paramPrefix;
};

struct TorchEmission {
  std::vector<std::string> statements;
  std::string result;
};

using TorchEmitter = TorchEmission (*)(const TorchEmitContext&);

/// What the importer may ask of a scripted module.
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
  /// The elements of a 1-D floating-point tensor `dotted` as a list of floats.
  virtual std::optional<Value> tensorValues(const std::string& dotted) const = 0;
};

/// The one aten call a traced torch.nn module's forward makes (torch.jit.trace keeps no
/// constructor arguments, only parameters and this call).
struct TracedCall {
  std::string kind;                             // "aten::_convolution"
  std::vector<std::optional<Value>> constants;  // per argument, when it is a constant
  std::vector<std::string> params;              // per argument: the tensor it reads, or ""
};

/// Reads the constructor arguments of a traced module's op from its call and parameter
/// shapes; nothing when the call is not the one it reads.
using TracedReader = std::optional<std::vector<CallArgument>> (*)(const TracedCall& call,
                                                                  const ScriptModuleView& module);

enum class AtenArgRole { Input, Inputs, Attr, Ignore };

struct AtenArg {
  AtenArgRole role;
  const char* attr = nullptr;  // for Attr
};

/// One aten signature that reads as the row's op: each argument by schema position a port,
/// a list of ports, an attribute, or ignored.
struct AtenCall {
  std::string kind;  // "aten::flatten"
  std::vector<AtenArg> args;
  /// Fixes values whose TorchScript form differs from the attribute (dtype codes).
  void (*adjust)(std::vector<CallArgument>&) = nullptr;
};

struct TorchOp : OpMappingRow<TorchOp> {
  using OpMappingRow::OpMappingRow;

  TorchEmitter emit = nullptr;
  /// A torch.nn module, shown by print(model) as `foreign` or, when that is empty, as the
  /// op's own name; else a tensor function, written inline.
  bool isModule = false;
  /// torch.nn classes of nested submodules that hold parameters (`self_attn`).
  std::vector<std::pair<std::string, std::string>> children;
  /// Flags that torch.nn records as whether a tensor is set (`bias` <- `in_proj_bias`).
  std::vector<std::pair<std::string, std::string>> presence;
  TracedReader traced = nullptr;  // null: a traced call reads as a forward-code call
  std::vector<AtenCall> calls;    // calls in forward code that read as this op
  bool passThrough = false;       // its calls return their first argument (contiguous)

  TorchOp& module(TorchEmitter fn) {
    emit = fn;
    isModule = true;
    return *this;
  }
  TorchOp& function(TorchEmitter fn) {
    emit = fn;
    return *this;
  }
  TorchOp& child(std::string name, std::string type) {
    children.emplace_back(std::move(name), std::move(type));
    return *this;
  }
  TorchOp& whetherSet(std::string attr, std::string tensor) {
    presence.emplace_back(std::move(attr), std::move(tensor));
    return *this;
  }
  TorchOp& tracedWith(TracedReader reader) {
    traced = reader;
    return *this;
  }
  TorchOp& passing() {
    passThrough = true;
    return *this;
  }
  TorchOp& aten(std::string kind, std::vector<AtenArg> args,
                void (*adjust)(std::vector<CallArgument>&) = nullptr) {
    calls.push_back({std::move(kind), std::move(args), adjust});
    return *this;
  }
  /// The class a module of op `op` (one of the row's) is shown as.
  std::string moduleType(const std::string& op) const { return foreign.empty() ? op : foreign; }
  bool exports() const { return emit != nullptr; }
  /// Module rows read their classes, every row the aten kinds of its calls.
  std::vector<std::string> readKeys() const;
};

/// The table, built and checked on first use.
const OpMappingTable<TorchOp>& torchOps();

/// The row whose call `kind` with `argumentCount` arguments reads, and that call; nothing
/// when no row reads it. A call with fewer arguments than a signature has takes its
/// defaults.
std::optional<std::pair<const TorchOp*, const AtenCall*>> findAtenCall(const std::string& kind,
                                                                        size_t argumentCount);

/// A name usable after a dot in TorchScript: an identifier that is no Python keyword.
bool isTorchIdentifier(const std::string& name);

/// `object.name`, or `getattr(object, "0")` when the name is not an identifier.
std::string torchMember(const std::string& object, const std::string& name);

/// A TorchScript literal for `value`: True, 3, 0.5, "s", [1, 2], None.
std::string torchLiteral(const Value& value);

}  // namespace sketch
