// OpDef: the declarative description of one op, in the spirit of ONNX's OpSchema and MLIR's
// ODS. Binding, shape inference, parameter creation, `summary`, docs and kernel coverage
// tests all read these entries; no other part of the code knows facts about single ops.
//
// Names, positional order, attribute names and defaults are PyTorch's (torch.nn), so that a
// line copied from PyTorch code works. This header depends only on core/.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/shape.h"
#include "core/value.h"

namespace sketch {

/// Resolved attribute values of a node, by attribute name.
using Attrs = std::map<std::string, Value>;

enum class AttrType {
  Int,
  Float,   // an int is accepted too
  Bool,
  String,
  IntN,    // an int or a tuple of `rank` ints (kernel_size=3 or (3, 3))
  Ints,    // a tuple of ints of any length; a single int is accepted as a 1-tuple
  Floats,  // a tuple of numbers
  Any,     // any value (Constant's value, Unflatten's sizes, ...)
};
const char* attrTypeName(AttrType type);

struct AttrDef {
  std::string name;
  AttrType type = AttrType::Int;
  Value defaultValue;             // used when the argument is not given
  bool required = false;          // no default and not inferable: must be given
  bool inferred = false;          // may be left out; shape inference fills it in
  bool optional = false;          // `none` is a valid value
  int rank = 0;                   // for IntN: how many ints a tuple must have
  std::vector<std::string> choices;  // for String: the accepted values
  std::string doc;
};

struct PortDef {
  std::string name;
  bool optional = false;  // may stay unconnected (e.g. LSTM's h_0)
  bool variadic = false;  // last input only: takes any number of links (Concat)
};

/// How a parameter is initialised when no weights are given, as PyTorch's reset_parameters
/// does: a constant, U(-bound, bound) or N(0, std); or the values an attribute gives (a
/// loss's per-class weights, which torch.nn keeps as a buffer).
struct Init {
  enum class Kind { Fill, Uniform, Normal, Values };
  Kind kind = Kind::Fill;
  double value = 0;            // the constant, the uniform bound or the normal's std
  std::vector<double> values;  // Values: one per element

  static Init fill(double v) { return {Kind::Fill, v, {}}; }
  static Init uniform(double bound) { return {Kind::Uniform, bound, {}}; }
  static Init normal(double std) { return {Kind::Normal, std, {}}; }
  static Init of(std::vector<double> values) { return {Kind::Values, 0, std::move(values)}; }
};

/// One learned tensor or buffer of a node, named relative to the node's path
/// (`weight`, `self_attn.in_proj_weight`, `running_mean`).
struct ParamSpec {
  std::string name;
  std::vector<int64_t> shape;
  DType dtype = DType::Float32;
  bool buffer = false;  // running stats etc.: in the state_dict but not trained
  Init init;
};

class ShapeContext;

using ShapeFn = std::function<void(ShapeContext&)>;
/// Parameters of a node from its resolved attributes (called after shape inference).
using ParamFn = std::function<std::vector<ParamSpec>(const Attrs&)>;
/// The graph input a model's first block implies when a file records no input type (Torch7,
/// TorchScript): float32[N, C, H, W] for Conv2d, int64[N, L] for Embedding. Symbolic dims
/// are named N, L, D, H, W; nothing when the block does not tell.
using ImpliedInputFn = std::function<std::optional<TensorType>(const Attrs&)>;
/// Rewrites the legacy spellings PyTorch still accepts into the canonical attributes once
/// arguments are bound (size_average/reduce into reduction), so that no kernel repeats the
/// rule. Runs on complete attributes.
using CanonicalFn = std::function<void(Attrs&)>;
/// Multiply-accumulates of one forward pass; symbolic dims count as 1 (per sample).
using MacFn = std::function<int64_t(const Attrs&, const std::vector<TensorType>& inputs,
                                    const std::vector<TensorType>& outputs)>;

/// One op. Built with the fluent setters, registered once in the catalogue.
class OpDef {
 public:
  OpDef(std::string name, std::string doc);

  OpDef& category(std::string c);
  /// The family of ops that differ only in spatial rank (Conv2d: "Conv", 2). Kernel mapping
  /// tables give one row per family and read the rank from here.
  OpDef& family(std::string name, int rank);
  /// A torch.nn module (has a module path in torch); false for tensor functions (Add, Cat).
  OpDef& module(bool isModule);
  OpDef& attr(AttrDef def);
  /// Shorthands for the common cases.
  OpDef& required(std::string name, AttrType type, std::string doc = "");
  OpDef& optional(std::string name, AttrType type, Value defaultValue, std::string doc = "");
  OpDef& inferred(std::string name, AttrType type, std::string doc = "");
  OpDef& input(std::string name, bool optional = false);
  OpDef& variadicInput(std::string name);
  OpDef& output(std::string name);
  /// Outputs named "0", "1", ... whose count the shape function decides (Split, Chunk).
  OpDef& variadicOutputs();
  OpDef& shape(ShapeFn fn);
  OpDef& params(ParamFn fn);
  OpDef& macs(MacFn fn);
  OpDef& impliedInput(ImpliedInputFn fn);
  OpDef& canonical(CanonicalFn fn);

  const std::string& name() const { return name_; }
  const std::string& doc() const { return doc_; }
  const std::string& category() const { return category_; }
  /// The family name, or the op's own name when it belongs to none.
  const std::string& family() const { return family_.empty() ? name_ : family_; }
  /// Spatial rank within the family (1 for Conv1d); 0 for ops outside a family.
  int rank() const { return rank_; }
  bool isModule() const { return module_; }
  const std::vector<AttrDef>& attrs() const { return attrs_; }
  const AttrDef* findAttr(const std::string& name) const;
  const std::vector<PortDef>& inputs() const { return inputs_; }
  const std::vector<PortDef>& outputs() const { return outputs_; }
  bool hasVariadicInput() const { return !inputs_.empty() && inputs_.back().variadic; }
  bool hasVariadicOutputs() const { return variadicOutputs_; }
  /// Index of a named input/output port, or -1.
  int inputIndex(const std::string& port) const;
  int outputIndex(const std::string& port) const;

  const ShapeFn& shapeFn() const { return shape_; }
  const ParamFn& paramFn() const { return params_; }
  const MacFn& macFn() const { return macs_; }
  /// The input this op implies as a model's first block (see ImpliedInputFn).
  std::optional<TensorType> impliedInputFor(const Attrs& attrs) const;
  const CanonicalFn& canonicalFn() const { return canonical_; }

 private:
  std::string name_;
  std::string doc_;
  std::string category_;
  std::string family_;
  int rank_ = 0;
  bool module_ = true;
  std::vector<AttrDef> attrs_;
  std::vector<PortDef> inputs_;
  std::vector<PortDef> outputs_;
  bool variadicOutputs_ = false;
  ShapeFn shape_;
  ParamFn params_;
  MacFn macs_;
  ImpliedInputFn impliedInput_;
  CanonicalFn canonical_;
};

}  // namespace sketch
