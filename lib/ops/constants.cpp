// Constant and Parameter: nodes without inputs that produce a tensor. Constant holds its
// values in the sketch (torch.tensor(value)); Parameter is a learned tensor such as a class
// token, whose state_dict key is the node's path itself.
#include "core/spelling.h"
#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/op_helpers.h"

namespace sketch {

namespace {

/// Shape and element kinds of a (nested) list value, as torch.tensor reads it.
struct ValueLayout {
  std::vector<Dim> dims;
  bool hasFloat = false;
  bool hasInt = false;
  std::string problem;  // empty when the value is a rectangular nest of numbers
};

void layoutAt(const Value& v, size_t depth, ValueLayout& layout) {
  if (!layout.problem.empty()) return;
  if (v.isFloat() || v.isInt() || v.isBool()) {
    if (depth != layout.dims.size())
      layout.problem = "mixes numbers and lists at depth " + std::to_string(depth);
    layout.hasFloat |= v.isFloat();
    layout.hasInt |= v.isInt();
    return;
  }
  if (!v.isList()) {
    layout.problem = "holds " + std::string(Value::kindName(v.kind())) + " " + v.toString();
    return;
  }
  int64_t n = static_cast<int64_t>(v.asList().size());
  if (depth == layout.dims.size()) {
    layout.dims.push_back(Dim::known(n));
    // The first element fixes the shape of everything below it.
    if (n > 0) layoutAt(v.asList()[0], depth + 1, layout);
  }
  if (depth >= layout.dims.size() || layout.dims[depth] != Dim::known(n)) {
    layout.problem = "is ragged: a list at depth " + std::to_string(depth) + " has " +
                     std::to_string(n) + " items";
    return;
  }
  for (const Value& item : v.asList()) layoutAt(item, depth + 1, layout);
}

/// torch.tensor's default dtype: any float gives float32, else any int int64, else bool; a
/// value without elements ([] or [[], []]) is float32.
DType defaultDType(const ValueLayout& layout) {
  if (layout.hasFloat) return DType::Float32;
  if (layout.hasInt) return DType::Int64;
  // Only the innermost dim can be 0: an empty list stops the descent.
  bool hasElements = layout.dims.empty() || layout.dims.back() != Dim::known(0);
  return hasElements ? DType::Bool : DType::Float32;
}

void inferConstant(ShapeContext& ctx) {
  ValueLayout layout;
  layoutAt(ctx.attr("value"), 0, layout);
  if (!layout.problem.empty())
    return ctx.attrError("value", ctx.label() + " value " + layout.problem);
  DType dtype = defaultDType(layout);
  if (!ctx.isNone("dtype")) {
    const std::string& name = ctx.getString("dtype");
    auto given = parseDType(name);
    if (!given) {
      std::string guess = closestMatch(name, dtypeNames());
      return ctx.attrError("dtype", ctx.label() + " got unknown dtype '" + name + "'",
                           guess.empty() ? "" : "did you mean '" + guess + "'?");
    }
    dtype = *given;
  }
  ctx.setOutput(0, TensorType::of(dtype, layout.dims));
}

void inferParameter(ShapeContext& ctx) {
  std::vector<int64_t> shape = ctx.getInts("shape");
  std::vector<Dim> dims;
  for (int64_t s : shape) {
    if (s < 0) {
      return ctx.attrError("shape", ctx.label() + " got negative size " + std::to_string(s) +
                                        " in shape " + intsString(shape));
    }
    dims.push_back(Dim::known(s));
  }
  ctx.setOutput(0, TensorType::of(DType::Float32, dims));
}

std::vector<ParamSpec> parameterParams(const Attrs& attrs) {
  const std::string& init = attrs.at("init").asString();
  double scale = attrs.at("scale").asNumber();
  Init values = init == "ones"      ? Init::fill(1)
                : init == "normal"  ? Init::normal(scale)
                : init == "uniform" ? Init::uniform(scale)
                                    : Init::fill(0);
  return {parameter("", intsOf(attrs, "shape", 1), values)};
}

}  // namespace

void registerConstantOps(OpCatalogue& catalogue) {
  catalogue.add(OpDef("Constant", "a tensor written in the sketch (torch.tensor(value))")
                    .category("utility")
                    .module(false)
                    .required("value", AttrType::Any, "a number or a nested list of numbers")
                    .optional("dtype", AttrType::String, Value::none(),
                              "element type; none infers it from the value like torch.tensor")
                    .output("output")
                    .shape(inferConstant)
                    .macs(noMacs));
  AttrDef init =
      choiceAttr("init", Value::ofString("zeros"), {"zeros", "ones", "normal", "uniform"},
                 "initial values when no weights are given");
  // The empty parameter name makes the state_dict key the node's path (`class_token`). In
  // torch it is an attribute of the enclosing module, not a module of its own.
  catalogue.add(OpDef("Parameter", "a learned tensor such as a class token (nn.Parameter)")
                    .category("utility")
                    .module(false)
                    .required("shape", AttrType::Ints, "the tensor's shape")
                    .attr(init)
                    .optional("scale", AttrType::Float, Value::ofFloat(1.0),
                              "std for init=\"normal\", bound for init=\"uniform\"")
                    .output("output")
                    .shape(inferParameter)
                    .params(parameterParams)
                    .macs(noMacs));
}

}  // namespace sketch
