// Loss functions (torch.nn.*Loss): ports `input` and `target`, PyTorch's constructor
// arguments including the deprecated size_average/reduce (they still decide the
// reduction when given). The output is [] when reduced, else the elementwise shape.
#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/op_helpers.h"

namespace sketch {

namespace {

/// torch.nn._reduction.legacy_get_string: the legacy size_average/reduce flags, when either
/// is given, decide `reduction` (each none counts as true).
void canonicalReduction(Attrs& attrs) {
  const Value& sizeAverage = attrs["size_average"];
  const Value& reduce = attrs["reduce"];
  if (sizeAverage.isNone() && reduce.isNone()) return;
  bool averaged = !sizeAverage.isBool() || sizeAverage.asBool();
  bool reduced = !reduce.isBool() || reduce.asBool();
  attrs["reduction"] = Value::ofString(!reduced ? "none" : averaged ? "mean" : "sum");
  attrs["size_average"] = Value::none();
  attrs["reduce"] = Value::none();
}

void setLossOutput(ShapeContext& ctx, DType dtype, const std::vector<Dim>& elementwise) {
  std::vector<Dim> dims;
  if (ctx.getString("reduction") == "none") dims = elementwise;
  ctx.setOutput(0, TensorType::of(floatResult(dtype), dims));
}

/// Reports unless the 1-D weight in attribute `attr` broadcasts to input 0's shape.
bool checkWeightBroadcast(ShapeContext& ctx, const std::string& attr) {
  if (ctx.isNone(attr)) return true;
  std::vector<Dim> weight{Dim::known(static_cast<int64_t>(ctx.getFloats(attr).size()))};
  auto dims = broadcastShapes(ctx.input(0).dims, weight);
  if (dims && *dims == ctx.input(0).dims) return true;
  ctx.attrError(attr, ctx.label() + " cannot broadcast " + attr + " of shape " +
                          dimsString(weight) + " to the input: " + ctx.describeInput(0));
  return false;
}

bool checkPositive(ShapeContext& ctx, const std::string& attr, bool allowZero) {
  double v = ctx.getFloat(attr);
  if (v > 0 || (allowZero && v == 0)) return true;
  ctx.attrError(attr, ctx.label() + " needs " + attr + (allowZero ? " >= 0" : " > 0") +
                          ", but got " + ctx.attr(attr).toString());
  return false;
}

/// MSELoss, L1Loss, SmoothL1Loss, HuberLoss, KLDivLoss: target broadcasts against input
/// (PyTorch only warns when the shapes differ).
void inferPointwiseLoss(ShapeContext& ctx) {
  if (ctx.op().findAttr("beta") && !checkPositive(ctx, "beta", true)) return;
  if (ctx.op().findAttr("delta") && !checkPositive(ctx, "delta", false)) return;
  auto dims = broadcastShapes(ctx.input(0).dims, ctx.input(1).dims);
  if (!dims) {
    return ctx.inputError(1, ctx.label() + " cannot broadcast the target with the input: " +
                                 ctx.describeInput(1) + " and " + ctx.describeInput(0));
  }
  setLossOutput(ctx, promoteTypes(ctx.input(0).dtype, ctx.input(1).dtype), *dims);
}

/// BCELoss, BCEWithLogitsLoss: target must have exactly the input's shape.
void inferBinaryCrossEntropy(ShapeContext& ctx) {
  if (ctx.input(1).dims != ctx.input(0).dims) {
    return ctx.inputError(1, ctx.label() + " expects a target of the input's shape " +
                                 ctx.input(0).shapeString() + ", but " + ctx.describeInput(1));
  }
  if (!checkWeightBroadcast(ctx, "weight")) return;
  if (ctx.op().findAttr("pos_weight") && !checkWeightBroadcast(ctx, "pos_weight")) return;
  setLossOutput(ctx, ctx.input(0).dtype, ctx.input(0).dims);
}

/// The class dim of a classification input: dim 1, or dim 0 of an unbatched [C] input.
size_t classDim(const TensorType& input) { return input.rank() == 1 ? 0 : 1; }

/// Class-index targets: int64 of `perElement`, the input's shape without the class dim.
bool checkClassTarget(ShapeContext& ctx, bool acceptsProbabilities,
                      const std::vector<Dim>& perElement) {
  const TensorType& target = ctx.input(1);
  if (target.dtype != DType::Int64) {
    ctx.inputError(1, ctx.label() + " expects int64 class indices" +
                          (acceptsProbabilities ? " or float probabilities" : "") +
                          " as target, but " + ctx.describeInput(1) + " of type " +
                          dtypeName(target.dtype));
    return false;
  }
  if (target.dims == perElement) return true;
  ctx.inputError(1, ctx.label() + " expects a target of shape " + dimsString(perElement) +
                        " (the input's without the class dim), but " + ctx.describeInput(1));
  return false;
}

/// CrossEntropyLoss (which also takes probabilities and label_smoothing) and NLLLoss.
void inferClassificationLoss(ShapeContext& ctx, bool isCrossEntropy) {
  const TensorType& in = ctx.input(0);
  if (!ctx.expectMinRank(0, 1)) return;
  const Dim& classes = in.dims[classDim(in)];
  if (!ctx.isNone("weight") && classes.isKnown() &&
      static_cast<int64_t>(ctx.getFloats("weight").size()) != classes.value()) {
    return ctx.attrError("weight", ctx.label() + " expects one weight per class (" +
                                       classes.toString() + "), but got " +
                                       std::to_string(ctx.getFloats("weight").size()));
  }
  if (isCrossEntropy) {
    double ls = ctx.getFloat("label_smoothing");
    if (ls < 0 || ls > 1) {
      return ctx.attrError("label_smoothing", ctx.label() +
                                                  " needs label_smoothing in [0, 1], but got " +
                                                  ctx.attr("label_smoothing").toString());
    }
  }
  std::vector<Dim> perElement = in.dims;
  perElement.erase(perElement.begin() + classDim(in));
  // CrossEntropyLoss reads a floating-point target as class probabilities.
  if (isCrossEntropy && isFloatingPoint(ctx.input(1).dtype)) {
    if (ctx.input(1).dims != in.dims) {
      return ctx.inputError(1, ctx.label() + " expects probabilities of the input's shape " +
                                   in.shapeString() + ", but " + ctx.describeInput(1));
    }
  } else if (!checkClassTarget(ctx, isCrossEntropy, perElement)) {
    return;
  }
  setLossOutput(ctx, in.dtype, perElement);
}

/// Per-class or per-element weights are buffers in PyTorch's state_dict, which start as the
/// attribute's values (a weights file may replace them, as load_state_dict does).
std::vector<ParamSpec> weightBuffers(const Attrs& attrs) {
  std::vector<ParamSpec> buffers;
  for (const char* name : {"weight", "pos_weight"}) {
    auto it = attrs.find(name);
    if (it == attrs.end() || it->second.isNone()) continue;
    std::vector<double> values;
    for (const Value& v : it->second.isList() ? it->second.asList() : std::vector<Value>{it->second})
      values.push_back(v.asNumber());
    int64_t n = static_cast<int64_t>(values.size());
    buffers.push_back(buffer(name, {n}, Init::of(std::move(values))));
  }
  return buffers;
}

OpDef lossOp(const std::string& name, const std::string& doc) {
  OpDef op(name, doc);
  op.category("loss").input("input").input("target").output("output").macs(noMacs);
  return op;
}

AttrDef reductionAttr(std::vector<std::string> choices = {"mean", "sum", "none"}) {
  return choiceAttr("reduction", Value::ofString("mean"), std::move(choices),
                    "mean or sum over elements, or none");
}

OpDef& legacy(OpDef& op, const std::string& name) {
  return op.optional(name, AttrType::Bool, Value::none(), "deprecated; use reduction")
      .canonical(canonicalReduction);
}

OpDef weight(OpDef op) {
  return op.optional("weight", AttrType::Floats, Value::none(), "rescaling weights");
}

}  // namespace

void registerLossOps(OpCatalogue& catalogue) {
  auto pointwise = [&](const std::string& name, const std::string& doc) {
    OpDef op = lossOp(name, doc);
    legacy(op, "size_average");
    legacy(op, "reduce");
    op.attr(reductionAttr()).shape(inferPointwiseLoss);
    return op;
  };
  catalogue.add(pointwise("MSELoss", "mean squared error"));
  catalogue.add(pointwise("L1Loss", "mean absolute error"));
  catalogue.add(pointwise("SmoothL1Loss", "squared error below beta, absolute above")
                    .optional("beta", AttrType::Float, Value::ofFloat(1.0), "switch point, >= 0"));
  catalogue.add(lossOp("HuberLoss", "squared error below delta, delta-scaled absolute above")
                    .attr(reductionAttr())
                    .optional("delta", AttrType::Float, Value::ofFloat(1.0), "switch point, > 0")
                    .shape(inferPointwiseLoss));
  OpDef kl = lossOp("KLDivLoss", "Kullback-Leibler divergence of log-probabilities");
  legacy(legacy(kl, "size_average"), "reduce")
      .attr(reductionAttr({"mean", "batchmean", "sum", "none"}))
      .optional("log_target", AttrType::Bool, Value::ofBool(false), "target is log-probabilities")
      .shape(inferPointwiseLoss);
  catalogue.add(kl);

  auto classification = [&](const std::string& name, const std::string& doc, bool isCrossEntropy) {
    OpDef op = weight(lossOp(name, doc));
    legacy(op, "size_average")
        .optional("ignore_index", AttrType::Int, Value::ofInt(-100), "target value to skip");
    legacy(op, "reduce")
        .attr(reductionAttr())
        .shape(
            [isCrossEntropy](ShapeContext& ctx) { inferClassificationLoss(ctx, isCrossEntropy); })
        .params(weightBuffers);
    return op;
  };
  catalogue.add(classification("CrossEntropyLoss", "softmax cross entropy over dim 1", true)
                    .optional("label_smoothing", AttrType::Float, Value::ofFloat(0.0),
                              "mix of uniform distribution in the target, in [0, 1]"));
  catalogue.add(classification("NLLLoss", "negative log likelihood of log-probabilities", false));

  OpDef bce = weight(lossOp("BCELoss", "binary cross entropy of probabilities"));
  legacy(legacy(bce, "size_average"), "reduce")
      .attr(reductionAttr())
      .shape(inferBinaryCrossEntropy)
      .params(weightBuffers);
  catalogue.add(bce);
  OpDef logits = weight(lossOp("BCEWithLogitsLoss", "binary cross entropy of logits"));
  legacy(legacy(logits, "size_average"), "reduce")
      .attr(reductionAttr())
      .optional("pos_weight", AttrType::Floats, Value::none(), "weight of positives per class")
      .shape(inferBinaryCrossEntropy)
      .params(weightBuffers);
  catalogue.add(logits);
}

}  // namespace sketch
