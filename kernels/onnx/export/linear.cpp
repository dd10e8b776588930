// Linear maps and lookups: Linear (Gemm on 2-D inputs), Bilinear (Einsum), Embedding (Gather).
#include "building_blocks.h"
#include "op_table.h"

namespace sketch {

void emitLinear(EmitContext& ctx, const char* onnxOp) {
  std::string bias = ctx.getBool("bias") ? ctx.param("bias") : "";
  if (ctx.inputType(0).rank() == 2) {
    std::vector<std::string> inputs{ctx.input(0), ctx.param("weight")};
    if (!bias.empty()) inputs.push_back(bias);
    setInt(ctx.add(onnxOp, inputs, {ctx.output(0)}), "transB", 1);
    return;
  }
  ctx.opTo("Identity", {linear(ctx, ctx.input(0), ctx.param("weight"), bias)}, ctx.output(0));
}

void emitBilinear(EmitContext& ctx, const char* onnxOp) {
  // y[..., o] = sum_ij x1[..., i] A[o, i, j] x2[..., j] + b[o]
  std::string y = ctx.fresh("Einsum");
  setString(ctx.add(onnxOp, {ctx.input(0), ctx.param("weight"), ctx.input(1)}, {y}), "equation",
            "...i,oij,...j->...o");
  if (!ctx.getBool("bias")) return ctx.opTo("Identity", {y}, ctx.output(0));
  ctx.opTo("Add", {y, ctx.param("bias")}, ctx.output(0));
}

// max_norm renormalises the table in place during the lookup.
bool supportsEmbedding(const Node& node) { return node.attrs.at("max_norm").isNone(); }

void emitEmbedding(EmitContext& ctx, const char* onnxOp) {
  ctx.opTo(onnxOp, {ctx.param("weight"), ctx.input(0)}, ctx.output(0));
}

}  // namespace sketch
