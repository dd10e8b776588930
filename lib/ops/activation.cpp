// Activations: elementwise nonlinearities from one table, plus the three with shape rules
// of their own (PReLU's parameter count, Softmax/LogSoftmax's dim, Hardtanh's range).
#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/op_helpers.h"

namespace sketch {

namespace {

AttrDef floatAttr(std::string name, double value, std::string doc) {
  return optionalAttr(std::move(name), AttrType::Float, Value::ofFloat(value), std::move(doc));
}

struct ActivationSpec {
  const char* name;
  const char* doc;
  std::vector<AttrDef> attrs;
  // PyTorch computes most activations only in floating point; ReLU and its clamps keep
  // integers, and Sigmoid, Tanh and Softsign promote them.
  bool floatingOnly = true;
};

OpDef activationOp(const ActivationSpec& spec, ShapeFn shape) {
  OpDef op(spec.name, spec.doc);
  op.category("activation");
  for (const AttrDef& a : spec.attrs) op.attr(a);
  if (spec.floatingOnly) shape = floatingInputs(std::move(shape));
  return op.input("input").output("output").shape(std::move(shape)).macs(noMacs);
}

std::vector<ActivationSpec> elementwiseActivations() {
  return {
      {"ReLU", "max(0, x)", {inplaceAttr()}, false},
      {"ReLU6", "min(max(0, x), 6)", {inplaceAttr()}, false},
      {"LeakyReLU",
       "x for x >= 0, negative_slope * x otherwise",
       {floatAttr("negative_slope", 0.01, "slope for x < 0"), inplaceAttr()}},
      {"ELU",
       "x for x > 0, alpha * (exp(x) - 1) otherwise",
       {floatAttr("alpha", 1.0, "scale for x <= 0"), inplaceAttr()}},
      {"SELU", "scaled ELU with fixed self-normalising constants", {inplaceAttr()}},
      {"CELU",
       "max(0, x) + min(0, alpha * (exp(x / alpha) - 1))",
       {floatAttr("alpha", 1.0, "scale for x <= 0"), inplaceAttr()}},
      {"GELU",
       "x * Phi(x), the Gaussian error linear unit",
       {choiceAttr("approximate", Value::ofString("none"), {"none", "tanh"},
                   "exact or tanh approximation")}},
      {"SiLU", "x * sigmoid(x)", {inplaceAttr()}},
      {"Mish", "x * tanh(softplus(x))", {inplaceAttr()}},
      {"Sigmoid", "1 / (1 + exp(-x))", {}, false},
      {"Tanh", "hyperbolic tangent", {}, false},
      {"Hardswish", "x * relu6(x + 3) / 6", {inplaceAttr()}},
      {"Hardsigmoid", "relu6(x + 3) / 6", {inplaceAttr()}},
      {"Softplus",
       "log(1 + exp(beta * x)) / beta",
       {floatAttr("beta", 1.0, "sharpness"),
        floatAttr("threshold", 20.0, "above beta * x > threshold the op is linear")}},
      {"Softsign", "x / (1 + |x|)", {}, false},
      {"Hardshrink",
       "x for |x| > lambd, 0 otherwise",
       {floatAttr("lambd", 0.5, "values within [-lambd, lambd] become 0")}},
  };
}

/// PyTorch's prelu: the weight has 1 or C elements, C being dim 1 (1 for inputs below 2-D).
void inferPReLU(ShapeContext& ctx) {
  int64_t count = ctx.getInt("num_parameters");
  if (!expectAtLeast(ctx, "num_parameters", {count}, 1, "non-positive")) return;
  const TensorType& in = ctx.input(0);
  Dim channels = in.rank() > 1 ? in.dims[1] : Dim::known(1);
  if (count != 1 && channels.isKnown() && channels.value() != count) {
    ctx.inputError(0,
                   ctx.label() + " has " + std::to_string(count) +
                       " parameters, which must be 1 or the channel count, but " +
                       ctx.describeInput(0),
                   "set num_parameters=1 or num_parameters=" + std::to_string(channels.value()));
    return;
  }
  sameShape(ctx);
}

std::vector<ParamSpec> preluParams(const Attrs& attrs) {
  return {parameter("weight", {attrs.at("num_parameters").asInt()},
                    Init::fill(attrs.at("init").asNumber()))};
}

/// dim=None resolves as PyTorch's legacy _get_softmax_dim: 0 for 0-, 1- and 3-D inputs,
/// else 1; the resolved dim is stored so that kernels need not repeat the rule.
void inferSoftmax(ShapeContext& ctx) {
  size_t rank = ctx.input(0).rank();
  if (ctx.isNone("dim"))
    ctx.setAttr("dim", Value::ofInt(rank == 0 || rank == 1 || rank == 3 ? 0 : 1));
  if (resolveDimAttr(ctx, "dim", rank)) sameShape(ctx);
}

/// torch.nn.Hardtanh: the deprecated min_value/max_value override min_val/max_val when given.
void canonicalHardtanh(Attrs& attrs) {
  for (auto [legacy, canonical] : {std::pair{"min_value", "min_val"}, {"max_value", "max_val"}}) {
    Value& old = attrs[legacy];
    if (old.isNone()) continue;
    attrs[canonical] = old;
    old = Value::none();
  }
}

void inferHardtanh(ShapeContext& ctx) {
  double low = ctx.getFloat("min_val"), high = ctx.getFloat("max_val");
  if (high <= low) {
    ctx.attrError("max_val", ctx.label() + " needs max_val > min_val, found max_val " +
                                 Value::ofFloat(high).toString() + " and min_val " +
                                 Value::ofFloat(low).toString());
    return;
  }
  sameShape(ctx);
}

/// torch.nn.Softshrink refuses a negative lambd.
void inferSoftshrink(ShapeContext& ctx) {
  double lambd = ctx.getFloat("lambd");
  if (lambd < 0) {
    ctx.attrError("lambd", ctx.label() + " needs lambd >= 0, found " +
                               Value::ofFloat(lambd).toString());
    return;
  }
  sameShape(ctx);
}

}  // namespace

void registerActivationOps(OpCatalogue& catalogue) {
  for (const ActivationSpec& spec : elementwiseActivations())
    catalogue.add(activationOp(spec, sameShape));
  AttrDef count = optionalAttr("num_parameters", AttrType::Int, Value::ofInt(1),
                               "1, or one slope per channel");
  catalogue.add(activationOp({"PReLU",
                              "LeakyReLU with a learned negative slope",
                              {count, floatAttr("init", 0.25, "initial slope")}},
                             inferPReLU)
                    .params(preluParams));
  catalogue.add(activationOp({"Softshrink",
                              "x - lambd above lambd, x + lambd below -lambd, 0 between",
                              {floatAttr("lambd", 0.5, "the threshold and the shift, at least 0")}},
                             inferSoftshrink));
  AttrDef dim = nullableAttr("dim", AttrType::Int, Value(), "dim the probabilities sum over");
  catalogue.add(
      activationOp({"Softmax", "exp(x) normalised to sum to 1 along dim", {dim}}, inferSoftmax));
  catalogue.add(activationOp({"LogSoftmax", "log of Softmax along dim", {dim}}, inferSoftmax));
  catalogue.add(activationOp(
      {"Hardtanh",
       "x clamped to [min_val, max_val]",
       {floatAttr("min_val", -1.0, "lower bound"), floatAttr("max_val", 1.0, "upper bound"),
        inplaceAttr(), nullableAttr("min_value", AttrType::Float, Value(), "deprecated min_val"),
        nullableAttr("max_value", AttrType::Float, Value(), "deprecated max_val")},
       false},
      inferHardtanh)
                    .canonical(canonicalHardtanh));
}

}  // namespace sketch
