// The torch kernel's mapping table: catalogue op name -> how the op is written in
// TorchScript. No LibTorch here: emitters produce TorchScript source text, which
// torch_export.cpp compiles with torch::jit::Module::define.
//
// Ops that are torch.nn modules become submodules with a forward of their own, whose
// parameters are attributes of `self`; tensor functions (Add, Concat, ...) are expressions
// in their parent's forward. An emitter sees the node, the expressions of its input ports
// ("None" for an unconnected optional port) and returns statements plus a result
// expression (a tuple expression when the node has several outputs).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "graph/graph.h"

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

/// One row of the mapping table.
struct TorchOp {
  const char* op;
  /// torch.nn class shown by print(model); null for tensor functions, written inline.
  const char* moduleType;
  TorchEmitter emit;
  /// torch.nn classes of nested submodules that hold parameters (`self_attn`).
  std::vector<std::pair<const char*, const char*>> children;
};

/// The row for `op`, or null when the kernel cannot express it.
const TorchOp* findTorchOp(const std::string& op);

/// Every op in the table, for coverage tests.
std::vector<std::string> torchOpNames();

/// A name usable after a dot in TorchScript: an identifier that is no Python keyword.
bool isTorchIdentifier(const std::string& name);

/// `object.name`, or `getattr(object, "0")` when the name is not an identifier.
std::string torchMember(const std::string& object, const std::string& name);

/// A TorchScript literal for `value`: True, 3, 0.5, "s", [1, 2], None.
std::string torchLiteral(const Value& value);

}  // namespace sketch
