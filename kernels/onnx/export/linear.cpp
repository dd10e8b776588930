// Linear maps and lookups: Linear (Gemm on 2-D inputs), Bilinear (Einsum), Embedding (Gather).
#include "building_blocks.h"
#include "emitters.h"

namespace sketch {

void emitLinear(EmitContext& ctx, const OnnxOp& row) {
  std::string bias = ctx.getBool("bias") ? ctx.param("bias") : "";
  if (ctx.inputType(0).rank() == 2) {
    std::vector<std::string> inputs{ctx.input(0), ctx.param("weight")};
    if (!bias.empty()) inputs.push_back(bias);
    setInt(ctx.add(row.foreign, inputs, {ctx.output(0)}), "transB", 1);
    return;
  }
  ctx.opTo("Identity", {linear(ctx, ctx.input(0), ctx.param("weight"), bias)}, ctx.output(0));
}

void emitBilinear(EmitContext& ctx, const OnnxOp& row) {
  // y[..., o] = sum_ij x1[..., i] A[o, i, j] x2[..., j] + b[o]
  std::string y = ctx.fresh("Einsum");
  setString(ctx.add(row.foreign, {ctx.input(0), ctx.param("weight"), ctx.input(1)}, {y}), "equation",
            "...i,oij,...j->...o");
  if (!ctx.getBool("bias")) return ctx.opTo("Identity", {y}, ctx.output(0));
  ctx.opTo("Add", {y, ctx.param("bias")}, ctx.output(0));
}

void emitEmbedding(EmitContext& ctx, const OnnxOp& row) {
  if (ctx.isNone("max_norm"))
    return ctx.opTo(row.foreign, {ctx.param("weight"), ctx.input(0)}, ctx.output(0));
  // torch renormalises looked-up rows whose p-norm exceeds max_norm to max_norm / (norm +
  // 1e-7) in place; the output of the lookup is the renormalised rows.
  std::string rows = ctx.op(row.foreign, {ctx.param("weight"), ctx.input(0)});
  double p = ctx.getFloat("norm_type"), maxNorm = ctx.getFloat("max_norm");
  std::string powered = ctx.op("Pow", {ctx.op("Abs", {rows}), ctx.scalar(p, DType::Float32)});
  std::string norm = ctx.op(
      "Pow", {reduce(ctx, "ReduceSum", powered, {-1}, true), ctx.scalar(1.0 / p, DType::Float32)});
  std::string scale = ctx.op("Div", {ctx.scalar(maxNorm, DType::Float32),
                                     ctx.op("Add", {norm, ctx.scalar(1e-7, DType::Float32)})});
  std::string over = ctx.op("Greater", {norm, ctx.scalar(maxNorm, DType::Float32)});
  scale = ctx.op("Where", {over, scale, ctx.scalar(1.0, DType::Float32)});
  ctx.opTo("Mul", {rows, scale}, ctx.output(0));
}

}  // namespace sketch
