// ModuleTree: the PyTorch module hierarchy of a checked graph, with the TorchScript forward
// of every module, as plain data. No LibTorch here: torch_export.cpp turns the tree into a
// torch::jit::Module, and --emit-text prints it.
//
// The root module holds the graph; each group (a Sequential or a block instance) is a
// submodule named as in the sketch, so Sequential children are "0", "1", ...; each node of
// a torch.nn op is a leaf submodule; parameters with dotted names (`self_attn.out_proj.
// weight`) get the nested submodules PyTorch has. So state_dict keys equal the paths.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "graph/graph.h"

namespace sketch {

struct TorchParam {
  std::string attribute;  // name in its module (`weight`)
  std::string key;        // state_dict key (`layer1.0.conv1.weight`)
  bool buffer = false;
};

struct TorchModule {
  std::string name;  // attribute name in the parent; empty for the root
  std::string path;  // state_dict prefix; empty for the root
  std::string type;  // class name print(model) shows (`Conv2d`, `Sequential`, `BasicBlock`)
  std::string arguments;  // constructor arguments print(model) shows
  std::vector<size_t> children;
  std::vector<TorchParam> params;
  /// `def forward(self, ...):` and its body; empty for holders of nested parameters.
  std::string forward;
  /// A leaf's constructor arguments, registered as attributes like torch.nn's own
  /// (`conv1.kernel_size`), so that importers read them back; names that a parameter or
  /// submodule takes are left out (`bias`).
  Attrs attributes;
};

struct ModuleTree {
  std::vector<TorchModule> modules;  // modules[0] is the root; parents before children
  /// The graph's interface as TorchScript does not record it: a line per input
  /// ("input<TAB>image<TAB>float32[N, 3, 224, 224]") and per output ("output<TAB>logits"),
  /// kept in the archive as an extra file (kInterfaceFile).
  std::string interface;
};

/// The archive's extra file (`extra/sketch_interface`) that holds ModuleTree::interface.
inline constexpr const char* kInterfaceFile = "sketch_interface";

/// Builds the tree; reports (and returns nothing) when a group's nodes cannot be ordered
/// as a unit, which happens only when links run out of a group and back into it.
std::optional<ModuleTree> buildModuleTree(const Graph& graph, DiagnosticEngine& diags);

/// The TorchScript source of every module's forward, one class per module.
std::string moduleTreeCode(const ModuleTree& tree);

/// The tree as Python's print(model) shows a module.
std::string moduleTreeRepr(const ModuleTree& tree);

}  // namespace sketch
