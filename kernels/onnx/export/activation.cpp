// Activations. Most are one ONNX op; GELU, Mish and SiLU are spelled out (their ONNX ops come
// after opset 17), Hardswish before opset 14 too.
#include <cmath>

#include "building_blocks.h"
#include "op_table.h"

namespace sketch {

void emitAlphaUnary(EmitContext& ctx, const char* onnxOp) {
  setFloat(ctx.add(onnxOp, {ctx.input(0)}, {ctx.output(0)}), "alpha", ctx.getFloat("alpha"));
}

void emitLeakyRelu(EmitContext& ctx, const char* onnxOp) {
  setFloat(ctx.add(onnxOp, {ctx.input(0)}, {ctx.output(0)}), "alpha",
           ctx.getFloat("negative_slope"));
}

void emitReLU6(EmitContext& ctx, const char* onnxOp) {
  ctx.opTo(onnxOp, {ctx.input(0), ctx.scalar(0), ctx.scalar(6)}, ctx.output(0));
}

void emitHardtanh(EmitContext& ctx, const char* onnxOp) {
  ctx.opTo(onnxOp, {ctx.input(0), ctx.scalar(ctx.getFloat("min_val")),
                    ctx.scalar(ctx.getFloat("max_val"))},
           ctx.output(0));
}

void emitHardsigmoid(EmitContext& ctx, const char* onnxOp) {
  // torch: relu6(x + 3) / 6 = clip(x / 6 + 0.5, 0, 1).
  onnx::NodeProto& n = ctx.add(onnxOp, {ctx.input(0)}, {ctx.output(0)});
  setFloat(n, "alpha", 1.0 / 6.0);
  setFloat(n, "beta", 0.5);
}

void emitHardswish(EmitContext& ctx, const char* onnxOp) {
  if (ctx.opset() >= 14) return emitUnary(ctx, onnxOp);
  std::string gate = ctx.fresh("HardSigmoid");
  onnx::NodeProto& n = ctx.add("HardSigmoid", {ctx.input(0)}, {gate});
  setFloat(n, "alpha", 1.0 / 6.0);
  setFloat(n, "beta", 0.5);
  ctx.opTo("Mul", {ctx.input(0), gate}, ctx.output(0));
}

void emitGELU(EmitContext& ctx, const char*) {
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

void emitSiLU(EmitContext& ctx, const char*) {
  ctx.opTo("Mul", {ctx.input(0), ctx.op("Sigmoid", {ctx.input(0)})}, ctx.output(0));
}

void emitMish(EmitContext& ctx, const char*) {
  std::string softplus = ctx.op("Softplus", {ctx.input(0)});
  ctx.opTo("Mul", {ctx.input(0), ctx.op("Tanh", {softplus})}, ctx.output(0));
}

void emitSoftplus(EmitContext& ctx, const char* onnxOp) {
  // torch's threshold switches to x where beta x > threshold; there log1p(exp(beta x)) / beta
  // differs from x by under exp(-threshold), below float precision for the default 20.
  double beta = ctx.getFloat("beta");
  if (beta == 1.0) return emitUnary(ctx, onnxOp);
  std::string scaled = ctx.op("Mul", {ctx.input(0), ctx.scalar(beta)});
  ctx.opTo("Div", {ctx.op(onnxOp, {scaled}), ctx.scalar(beta)}, ctx.output(0));
}

void emitPReLU(EmitContext& ctx, const char* onnxOp) {
  // ONNX broadcasts the slope from the right; torch applies it along dim 1: [C, 1, ..., 1].
  std::string slope = ctx.param("weight");
  size_t rank = ctx.inputType(0).rank();
  int64_t count = ctx.getInt("num_parameters");
  if (count != 1 && rank > 2) {
    std::vector<int64_t> shape(rank - 1, 1);
    shape[0] = count;
    slope = ctx.op("Reshape", {slope, ctx.ints(shape)});
  }
  ctx.opTo(onnxOp, {ctx.input(0), slope}, ctx.output(0));
}

void emitSoftmax(EmitContext& ctx, const char* onnxOp) {
  // From opset 13 Softmax normalises along one axis, as torch does.
  setInt(ctx.add(onnxOp, {ctx.input(0)}, {ctx.output(0)}), "axis", ctx.getInt("dim"));
}

}  // namespace sketch
