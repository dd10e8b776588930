// Losses. Class-index targets map to SoftmaxCrossEntropyLoss and NegativeLogLikelihoodLoss;
// probability targets and the pointwise losses are spelled out, then reduced as torch does.
#include <algorithm>

#include "building_blocks.h"
#include "emitters.h"

namespace sketch {

namespace {

std::vector<int64_t> allAxes(size_t rank) {
  std::vector<int64_t> axes;
  for (size_t i = 0; i < rank; ++i) axes.push_back(int64_t(i));
  return axes;
}

/// Reduces an elementwise loss of `rank` dims into the node's output.
void finishLoss(EmitContext& ctx, const std::string& loss, size_t rank) {
  std::string reduction = ctx.getString("reduction");
  if (reduction == "none" || rank == 0) return ctx.opTo("Identity", {loss}, ctx.output(0));
  if (reduction == "sum")
    return ctx.opTo("Identity", {reduce(ctx, "ReduceSum", loss, allAxes(rank), false)},
                    ctx.output(0));
  if (reduction == "mean")
    return ctx.opTo("Identity", {reduce(ctx, "ReduceMean", loss, allAxes(rank), false)},
                    ctx.output(0));
  // batchmean: the sum over the size of dim 0.
  std::string sum = reduce(ctx, "ReduceSum", loss, allAxes(rank), false);
  std::string batch = ctx.op("Gather", {ctx.op("Shape", {loss}), ctx.scalar(0, DType::Int64)});
  std::string count = ctx.fresh("Cast");
  setInt(ctx.add("Cast", {batch}, {count}), "to", onnxType(ctx.inputType(0).dtype));
  ctx.opTo("Div", {sum, count}, ctx.output(0));
}

/// Rank of a pointwise loss before reduction: input and target broadcast.
size_t pointwiseRank(const EmitContext& ctx) {
  return std::max(ctx.inputType(0).rank(), ctx.inputType(1).rank());
}

/// A per-class buffer shaped to broadcast along the class axis of a rank-`rank` tensor.
std::string perClass(EmitContext& ctx, const std::string& name, size_t rank, size_t classAxis) {
  std::string w = ctx.param(name);
  if (rank - classAxis <= 1) return w;
  std::vector<int64_t> shape(rank - classAxis, 1);
  shape[0] = -1;
  return ctx.op("Reshape", {w, ctx.ints(shape)});
}

/// C, the size of the class dim (dim 1, or 0 for an unbatched input); shape inference
/// fixed it from the weights or the layer before.
int64_t classCount(const EmitContext& ctx) {
  const TensorType& in = ctx.inputType(0);
  return in.dims[in.rank() == 1 ? 0 : 1].value();
}

/// CrossEntropyLoss with class probabilities: -sum_c weight_c target_c log_softmax(input)_c.
void probabilityCrossEntropy(EmitContext& ctx) {
  size_t rank = ctx.inputType(0).rank();
  int64_t classAxis = rank == 1 ? 0 : 1;
  std::string logProbabilities = ctx.fresh("LogSoftmax");
  setInt(ctx.add("LogSoftmax", {ctx.input(0)}, {logProbabilities}), "axis", classAxis);
  // Label smoothing mixes the target with the uniform distribution.
  std::string target = ctx.input(1);
  double eps = ctx.getFloat("label_smoothing");
  if (eps > 0) {
    target = ctx.op("Add", {ctx.op("Mul", {target, ctx.scalar(1.0 - eps)}),
                            ctx.scalar(eps / double(classCount(ctx)))});
  }
  std::string weighted = ctx.op("Mul", {target, logProbabilities});
  if (!ctx.isNone("weight"))
    weighted = ctx.op("Mul", {weighted, perClass(ctx, "weight", rank, size_t(classAxis))});
  std::string loss = ctx.op("Neg", {reduce(ctx, "ReduceSum", weighted, {classAxis}, false)});
  finishLoss(ctx, loss, rank - 1);
}

/// torch's label smoothing on class indices: (1 - eps) loss + eps / C smooth, where smooth
/// is the (weighted) negative log-probability summed over classes, 0 at ignored targets, and
/// reduced like the loss ('mean' divides by the weight of the counted targets).
std::string smoothLabels(EmitContext& ctx, const std::string& loss, const std::string& scores,
                         const std::string& labels, double eps) {
  size_t rank = std::max<size_t>(ctx.inputType(0).rank(), 2);
  double classes = double(classCount(ctx));
  std::string logProbabilities = ctx.fresh("LogSoftmax");
  setInt(ctx.add("LogSoftmax", {scores}, {logProbabilities}), "axis", 1);
  bool weighted = !ctx.isNone("weight");
  if (weighted)
    logProbabilities = ctx.op("Mul", {logProbabilities, perClass(ctx, "weight", rank, 1)});
  std::string smooth = ctx.op("Neg", {reduce(ctx, "ReduceSum", logProbabilities, {1}, false)});
  std::string ignored =
      ctx.op("Equal", {labels, ctx.scalar(double(ctx.getInt("ignore_index")), DType::Int64)});
  std::string counted = ctx.op("Not", {ignored});
  std::string keep = ctx.fresh("Cast");
  setInt(ctx.add("Cast", {counted}, {keep}), "to", onnxType(ctx.inputType(0).dtype));
  smooth = ctx.op("Mul", {smooth, keep});
  std::vector<int64_t> axes = allAxes(rank - 1);
  std::string reduction = ctx.getString("reduction");
  if (reduction == "sum") smooth = reduce(ctx, "ReduceSum", smooth, axes, false);
  if (reduction == "mean") {
    std::string count = keep;
    if (weighted) {
      std::string safe = ctx.op("Where", {counted, labels, ctx.scalar(0, DType::Int64)});
      count = ctx.op("Mul", {ctx.op("Gather", {ctx.param("weight"), safe}), keep});
    }
    smooth = ctx.op("Div", {reduce(ctx, "ReduceSum", smooth, axes, false),
                            reduce(ctx, "ReduceSum", count, axes, false)});
  }
  return ctx.op("Add", {ctx.op("Mul", {loss, ctx.scalar(1.0 - eps)}),
                        ctx.op("Mul", {smooth, ctx.scalar(eps / classes)})});
}

}  // namespace

void emitClassificationLoss(EmitContext& ctx, const OnnxOp& row) {
  if (isFloatingPoint(ctx.inputType(1).dtype)) return probabilityCrossEntropy(ctx);
  // ONNX wants a batch dim: an unbatched [C] input with a 0-d target gains one.
  bool unbatched = ctx.inputType(0).rank() == 1;
  std::string scores = ctx.input(0), labels = ctx.input(1);
  if (unbatched) {
    scores = ctx.op("Unsqueeze", {scores, ctx.ints({0})});
    labels = ctx.op("Unsqueeze", {labels, ctx.ints({0})});
  }
  if (ctx.inputType(1).dtype != DType::Int64) {
    std::string cast = ctx.fresh("Cast");
    setInt(ctx.add("Cast", {labels}, {cast}), "to", onnx::TensorProto::INT64);
    labels = cast;
  }
  std::vector<std::string> inputs{scores, labels};
  if (!ctx.isNone("weight")) inputs.push_back(ctx.param("weight"));
  std::string reduction = ctx.getString("reduction");
  std::string loss = ctx.fresh(row.foreign);
  onnx::NodeProto& n = ctx.add(row.foreign, inputs, {loss});
  setString(n, "reduction", reduction);
  setInt(n, "ignore_index", ctx.getInt("ignore_index"));
  double smoothing = ctx.isNone("label_smoothing") ? 0.0 : ctx.getFloat("label_smoothing");
  if (smoothing > 0) loss = smoothLabels(ctx, loss, scores, labels, smoothing);
  if (unbatched && reduction == "none")
    return ctx.opTo("Squeeze", {loss, ctx.ints({0})}, ctx.output(0));
  ctx.opTo("Identity", {loss}, ctx.output(0));
}

void emitMSELoss(EmitContext& ctx, const OnnxOp&) {
  std::string d = ctx.op("Sub", {ctx.input(0), ctx.input(1)});
  finishLoss(ctx, ctx.op("Mul", {d, d}), pointwiseRank(ctx));
}

void emitL1Loss(EmitContext& ctx, const OnnxOp&) {
  std::string d = ctx.op("Abs", {ctx.op("Sub", {ctx.input(0), ctx.input(1)})});
  finishLoss(ctx, d, pointwiseRank(ctx));
}

void emitSmoothL1Loss(EmitContext& ctx, const OnnxOp&) {
  // SmoothL1 (beta): 0.5 d^2 / beta below beta, |d| - 0.5 beta above. Huber (delta) is
  // delta * SmoothL1 with beta = delta.
  bool huber = ctx.node().op->findAttr("delta") != nullptr;
  double beta = huber ? ctx.getFloat("delta") : ctx.getFloat("beta");
  std::string d = ctx.op("Abs", {ctx.op("Sub", {ctx.input(0), ctx.input(1)})});
  std::string loss;
  if (beta == 0.0) {
    loss = d;
  } else {
    std::string quadratic =
        ctx.op("Div", {ctx.op("Mul", {ctx.op("Mul", {d, d}), ctx.scalar(0.5)}), ctx.scalar(beta)});
    std::string linearPart = ctx.op("Sub", {d, ctx.scalar(0.5 * beta)});
    loss = ctx.op("Where", {ctx.op("Less", {d, ctx.scalar(beta)}), quadratic, linearPart});
  }
  if (huber) loss = ctx.op("Mul", {loss, ctx.scalar(beta)});
  finishLoss(ctx, loss, pointwiseRank(ctx));
}

void emitKLDivLoss(EmitContext& ctx, const OnnxOp&) {
  // target * (log target - input), 0 where target is 0 (torch's xlogy); with log_target
  // exp(target) * (target - input).
  std::string loss;
  if (ctx.getBool("log_target")) {
    loss =
        ctx.op("Mul", {ctx.op("Exp", {ctx.input(1)}), ctx.op("Sub", {ctx.input(1), ctx.input(0)})});
  } else {
    std::string t = ctx.input(1);
    std::string safeLog = ctx.op(
        "Log", {ctx.op("Where", {ctx.op("Greater", {t, ctx.scalar(0.0)}), t, ctx.scalar(1.0)})});
    loss = ctx.op("Mul", {t, ctx.op("Sub", {safeLog, ctx.input(0)})});
  }
  finishLoss(ctx, loss, pointwiseRank(ctx));
}

void emitBCELoss(EmitContext& ctx, const OnnxOp&) {
  // -(t log p + (1 - t) log(1 - p)), each log clamped at -100 as torch does.
  const std::string &p = ctx.input(0), &t = ctx.input(1);
  auto clampedLog = [&](const std::string& x) {
    return ctx.op("Max", {ctx.op("Log", {x}), ctx.scalar(-100.0)});
  };
  std::string oneMinusT = ctx.op("Sub", {ctx.scalar(1.0), t});
  std::string oneMinusP = ctx.op("Sub", {ctx.scalar(1.0), p});
  std::string sum = ctx.op("Add", {ctx.op("Mul", {t, clampedLog(p)}),
                                   ctx.op("Mul", {oneMinusT, clampedLog(oneMinusP)})});
  std::string loss = ctx.op("Neg", {sum});
  if (!ctx.isNone("weight")) loss = ctx.op("Mul", {loss, ctx.param("weight")});
  finishLoss(ctx, loss, pointwiseRank(ctx));
}

void emitBCEWithLogitsLoss(EmitContext& ctx, const OnnxOp&) {
  // (1 - t) x + (1 + (pw - 1) t) (log(1 + exp(-|x|)) + max(-x, 0)), torch's stable form.
  const std::string &x = ctx.input(0), &t = ctx.input(1);
  std::string softplus = ctx.op(
      "Add",
      {ctx.op("Log", {ctx.op("Add", {ctx.scalar(1.0),
                                     ctx.op("Exp", {ctx.op("Neg", {ctx.op("Abs", {x})})})})}),
       ctx.op("Relu", {ctx.op("Neg", {x})})});
  std::string factor = ctx.scalar(1.0);
  if (!ctx.isNone("pos_weight")) {
    std::string pw = ctx.op("Sub", {ctx.param("pos_weight"), ctx.scalar(1.0)});
    factor = ctx.op("Add", {ctx.scalar(1.0), ctx.op("Mul", {pw, t})});
  }
  std::string loss = ctx.op("Add", {ctx.op("Mul", {ctx.op("Sub", {ctx.scalar(1.0), t}), x}),
                                    ctx.op("Mul", {factor, softplus})});
  if (!ctx.isNone("weight")) loss = ctx.op("Mul", {loss, ctx.param("weight")});
  finishLoss(ctx, loss, pointwiseRank(ctx));
}

}  // namespace sketch
