// Activations with more than a one-to-one mapping (the table maps ReLU, LeakyReLU, ELU,
// Softmax, ... directly): GELU, Mish and SiLU are spelled out (their ONNX ops come after
// opset 17), Hardswish before opset 14 too, and the clips take their bounds as inputs.
#include <cmath>

#include "building_blocks.h"
#include "emitters.h"

namespace sketch {

void emitReLU6(EmitContext& ctx, const OnnxOp& row) {
  ctx.opTo(row.foreign, {ctx.input(0), ctx.scalar(0), ctx.scalar(6)}, ctx.output(0));
}

void emitHardtanh(EmitContext& ctx, const OnnxOp& row) {
  ctx.opTo(row.foreign, {ctx.input(0), ctx.scalar(ctx.getFloat("min_val")),
                    ctx.scalar(ctx.getFloat("max_val"))},
           ctx.output(0));
}

void emitHardsigmoid(EmitContext& ctx, const OnnxOp& row) {
  // torch: relu6(x + 3) / 6 = clip(x / 6 + 0.5, 0, 1).
  onnx::NodeProto& n = ctx.add(row.foreign, {ctx.input(0)}, {ctx.output(0)});
  setFloat(n, "alpha", 1.0 / 6.0);
  setFloat(n, "beta", 0.5);
}

void emitHardswish(EmitContext& ctx, const OnnxOp& row) {
  if (ctx.opset() >= 14) return emitOneToOne(ctx, row);
  std::string gate = ctx.fresh("HardSigmoid");
  onnx::NodeProto& n = ctx.add("HardSigmoid", {ctx.input(0)}, {gate});
  setFloat(n, "alpha", 1.0 / 6.0);
  setFloat(n, "beta", 0.5);
  ctx.opTo("Mul", {ctx.input(0), gate}, ctx.output(0));
}

void emitGELU(EmitContext& ctx, const OnnxOp&) {
  const std::string& x = ctx.input(0);
  std::string inner;
  if (ctx.getString("approximate") == "tanh") {
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    std::string cube = ctx.op("Mul", {ctx.op("Mul", {x, x}), x});
    std::string sum = ctx.op("Add", {x, ctx.op("Mul", {cube, ctx.scalar(0.044715)})});
    inner = ctx.op("Tanh", {ctx.op("Mul", {sum, ctx.scalar(std::sqrt(2.0 / M_PI))})});
  } else {
    // 0.5 x (1 + erf(x / sqrt(2)))
    inner = ctx.op("Erf", {ctx.op("Div", {x, ctx.scalar(std::sqrt(2.0))})});
  }
  std::string half = ctx.op("Mul", {x, ctx.scalar(0.5)});
  ctx.opTo("Mul", {half, ctx.op("Add", {inner, ctx.scalar(1.0)})}, ctx.output(0));
}

void emitSiLU(EmitContext& ctx, const OnnxOp&) {
  ctx.opTo("Mul", {ctx.input(0), ctx.op("Sigmoid", {ctx.input(0)})}, ctx.output(0));
}

void emitMish(EmitContext& ctx, const OnnxOp&) {
  std::string softplus = ctx.op("Softplus", {ctx.input(0)});
  ctx.opTo("Mul", {ctx.input(0), ctx.op("Tanh", {softplus})}, ctx.output(0));
}

void emitSoftplus(EmitContext& ctx, const OnnxOp& row) {
  // torch's threshold switches to x where beta x > threshold; there log1p(exp(beta x)) / beta
  // differs from x by under exp(-threshold), below float precision for the default 20.
  double beta = ctx.getFloat("beta");
  if (beta == 1.0) return emitOneToOne(ctx, row);
  std::string scaled = ctx.op("Mul", {ctx.input(0), ctx.scalar(beta)});
  ctx.opTo("Div", {ctx.op(row.foreign, {scaled}), ctx.scalar(beta)}, ctx.output(0));
}

void emitPReLU(EmitContext& ctx, const OnnxOp& row) {
  // ONNX broadcasts the slope from the right; torch applies it along dim 1: [C, 1, ..., 1].
  std::string slope = ctx.param("weight");
  size_t rank = ctx.inputType(0).rank();
  int64_t count = ctx.getInt("num_parameters");
  if (count != 1 && rank > 2) {
    std::vector<int64_t> shape(rank - 1, 1);
    shape[0] = count;
    slope = ctx.op("Reshape", {slope, ctx.ints(shape)});
  }
  ctx.opTo(row.foreign, {ctx.input(0), slope}, ctx.output(0));
}

}  // namespace sketch
