// Walking TorchScript IR: what a value stands for during the walk (Abstract), the module
// view the import table reads, and small helpers over LibTorch's IR. Includes LibTorch: for
// script_import.cpp only.
#pragma once

#include <torch/csrc/jit/ir/ir.h>
#include <torch/script.h>

#include <optional>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "script_import_table.h"

namespace sketch {

namespace tj = torch::jit;

/// What a TorchScript value stands for during the walk.
struct Abstract {
  enum class Kind { Unknown, Constant, Tensor, Module, Items };
  Kind kind = Kind::Unknown;
  c10::IValue constant;
  PortRef port;
  c10::optional<tj::Module> module;
  std::string path;             // Module: its path
  std::vector<Abstract> items;  // a list or tuple holding tensors or modules
  std::string origin;           // Unknown: the call that made it, for messages

  static Abstract ofConstant(c10::IValue v) {
    Abstract a;
    a.kind = Kind::Constant;
    a.constant = std::move(v);
    return a;
  }
  static Abstract ofTensor(PortRef p) {
    Abstract a;
    a.kind = Kind::Tensor;
    a.port = p;
    return a;
  }
  static Abstract ofUnknown(std::string origin) {
    Abstract a;
    a.origin = std::move(origin);
    return a;
  }
  static Abstract ofItems(std::vector<Abstract> items) {
    Abstract a;
    a.kind = Kind::Items;
    a.items = std::move(items);
    return a;
  }
};

/// A constant as a sketch value; nothing for tensors, modules and other objects.
std::optional<Value> toValue(const c10::IValue& v);
/// An abstract constant (or a list of constants) as a sketch value.
std::optional<Value> toValue(const Abstract& a);

std::string join(const std::string& path, const std::string& name);
/// `__torch__.torchvision.models.resnet.___torch_mangle_6.BasicBlock` -> `BasicBlock`.
std::string className(const tj::Module& m);
bool isTorchNn(const tj::Module& m);
/// Leaves: torch.nn modules, and this kernel's own leaves, whose class is a catalogue op.
const OpDef* leafOp(const tj::Module& m);

class ModuleView : public ScriptModuleView {
 public:
  explicit ModuleView(tj::Module m) : module_(std::move(m)) {}
  std::optional<Value> value(const std::string& dotted) const override;
  bool hasTensor(const std::string& dotted) const override;
  bool has(const std::string& dotted) const override;
  std::vector<int64_t> tensorShape(const std::string& dotted) const override;
  std::optional<Value> tensorValues(const std::string& dotted) const override;

 private:
  std::optional<c10::IValue> find(const std::string& dotted) const;

  tj::Module module_;
};

/// The aten calls of a traced module's forward with their constant arguments and the
/// parameters they read, in order; none for Identity.
std::vector<TracedCall> tracedCallsOf(const tj::Module& m, const std::string& method);

/// "x.1" -> "x": TorchScript numbers the values a Python name takes.
std::string baseName(const std::string& debugName);
/// Where in the user's Python (or the archive's code) a node comes from: " (resnet.py:102)".
std::string sourceOf(const tj::Node* node);

bool allConstant(const std::vector<Abstract>& items);
/// A list or tuple: a constant when its items are (so aten ops can take it), else items.
Abstract construct(const tj::Node* node, const std::vector<Abstract>& items);
/// A call's result as the ports of `node`, numbered in the order the result's type lists
/// tensors: torch.nn.LSTM returns (output, (h_n, c_n)), MaxPool2d a single tensor.
Abstract resultOf(const c10::TypePtr& type, NodeId node, uint32_t& next);
/// Ops whose results the walk may compute from constants: cheap, pure, bounded in size.
bool foldable(const tj::Node* node, const std::vector<Abstract>& inputs);

}  // namespace sketch
