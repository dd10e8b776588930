// MultiheadAttention and the Transformer layers, spelled out in MatMul, Softmax, Reshape and
// Transpose (ONNX has no attention op in the standard domain before opset 23). The arithmetic
// follows torch's multi_head_attention_forward in eval mode: project, scale q by
// 1/sqrt(head_dim), softmax over keys, weighted sum, out_proj; weights averaged over heads.
#include <cmath>

#include "building_blocks.h"
#include "emitters.h"

namespace sketch {

namespace {

struct AttentionShape {
  int64_t embed, heads;
  bool batched, batchFirst;
  bool biasKv = false, zeroAttn = false;  // extra key/value positions
};

std::string transposed(EmitContext& ctx, const std::string& x, std::vector<int64_t> perm) {
  std::string out = ctx.fresh("Transpose");
  setInts(ctx.add("Transpose", {x}, {out}), "perm", perm);
  return out;
}

/// A sequence in the node's layout as [N, L, E], and back.
std::string toBatchMajor(EmitContext& ctx, const std::string& x, const AttentionShape& s) {
  if (!s.batched) return ctx.op("Unsqueeze", {x, ctx.ints({0})});
  return s.batchFirst ? x : transposed(ctx, x, {1, 0, 2});
}

std::string fromBatchMajor(EmitContext& ctx, const std::string& x, const AttentionShape& s) {
  if (!s.batched) return ctx.op("Squeeze", {x, ctx.ints({0})});
  return s.batchFirst ? x : transposed(ctx, x, {1, 0, 2});
}

/// Rows [k*E, (k+1)*E) of a packed in_proj tensor, sliced in the graph so the initializer
/// keeps its state_dict name.
std::string packedPart(EmitContext& ctx, const std::string& packed, int64_t k, int64_t embed) {
  return ctx.op("Slice",
                {packed, ctx.ints({k * embed}), ctx.ints({(k + 1) * embed}), ctx.ints({0})});
}

/// [N, L, E] -> [N, heads, L, head_dim]
std::string splitHeads(EmitContext& ctx, const std::string& x, const AttentionShape& s) {
  std::string heads = ctx.op("Reshape", {x, ctx.ints({0, 0, s.heads, s.embed / s.heads})});
  return transposed(ctx, heads, {0, 2, 1, 3});
}

/// add_bias_kv appends the learned bias_k/bias_v as one more position of the projected keys
/// and values [N, S, E], add_zero_attn then a zero position, as torch does.
std::string appendPositions(EmitContext& ctx, const std::string& projected,
                            const std::string& biasName, const AttentionShape& s) {
  if (!s.biasKv && !s.zeroAttn) return projected;
  std::string batch = ctx.op("Slice", {ctx.op("Shape", {projected}), ctx.ints({0}), ctx.ints({1})});
  std::string oneRow = ctx.fresh("shape");
  setInt(ctx.add("Concat", {batch, ctx.ints({1, s.embed})}, {oneRow}), "axis", 0);
  std::vector<std::string> pieces{projected};
  if (s.biasKv) pieces.push_back(ctx.op("Expand", {ctx.param(biasName), oneRow}));
  if (s.zeroAttn) pieces.push_back(ctx.op("ConstantOfShape", {oneRow}));
  std::string joined = ctx.fresh("Concat");
  setInt(ctx.add("Concat", pieces, {joined}), "axis", 1);
  return joined;
}

struct AttentionResult {
  std::string output;   // node layout
  std::string weights;  // [N, L, S] or [L, S], averaged over heads
};

/// Attention of the MultiheadAttention whose parameters sit under `prefix`.
AttentionResult attend(EmitContext& ctx, const std::string& prefix, const std::string& query,
                       const std::string& key, const std::string& value, bool separateProj,
                       bool bias, const AttentionShape& s) {
  std::string q = toBatchMajor(ctx, query, s);
  std::string k = key == query ? q : toBatchMajor(ctx, key, s);
  std::string v = value == key ? k : toBatchMajor(ctx, value, s);
  std::string packedBias = bias ? ctx.param(prefix + "in_proj_bias") : "";
  std::string packedWeight = separateProj ? "" : ctx.param(prefix + "in_proj_weight");
  auto project = [&](const std::string& x, int64_t part, const char* name) {
    std::string w =
        separateProj ? ctx.param(prefix + name) : packedPart(ctx, packedWeight, part, s.embed);
    std::string b = bias ? packedPart(ctx, packedBias, part, s.embed) : "";
    std::string projected = linear(ctx, x, w, b);
    if (part > 0)
      projected = appendPositions(ctx, projected, prefix + (part == 1 ? "bias_k" : "bias_v"), s);
    return splitHeads(ctx, projected, s);
  };
  double scale = 1.0 / std::sqrt(static_cast<double>(s.embed / s.heads));
  std::string qh = ctx.op("Mul", {project(q, 0, "q_proj_weight"), ctx.scalar(scale)});
  std::string kh = transposed(ctx, project(k, 1, "k_proj_weight"), {0, 1, 3, 2});
  std::string vh = project(v, 2, "v_proj_weight");
  std::string probabilities = ctx.fresh("Softmax");
  setInt(ctx.add("Softmax", {ctx.op("MatMul", {qh, kh})}, {probabilities}), "axis", -1);
  std::string heads = transposed(ctx, ctx.op("MatMul", {probabilities, vh}), {0, 2, 1, 3});
  std::string joined = ctx.op("Reshape", {heads, ctx.ints({0, 0, s.embed})});
  std::string out = linear(ctx, joined, ctx.param(prefix + "out_proj.weight"),
                           bias ? ctx.param(prefix + "out_proj.bias") : "");
  std::string weights = reduce(ctx, "ReduceMean", probabilities, {1}, false);
  if (!s.batched) weights = ctx.op("Squeeze", {weights, ctx.ints({0})});
  return {fromBatchMajor(ctx, out, s), weights};
}

AttentionShape shapeOf(const EmitContext& ctx, const char* features, const char* heads) {
  return {ctx.getInt(features), ctx.getInt(heads), ctx.inputType(0).rank() == 3,
          ctx.getBool("batch_first")};
}

std::string feedForward(EmitContext& ctx, const std::string& x) {
  std::string hidden = linear(ctx, x, ctx.param("linear1.weight"), ctx.param("linear1.bias"));
  if (ctx.getString("activation") == "gelu") {
    // 0.5 x (1 + erf(x / sqrt(2))), torch's exact GELU
    std::string inner = ctx.op("Erf", {ctx.op("Div", {hidden, ctx.scalar(std::sqrt(2.0))})});
    std::string half = ctx.op("Mul", {hidden, ctx.scalar(0.5)});
    hidden = ctx.op("Mul", {half, ctx.op("Add", {inner, ctx.scalar(1.0)})});
  } else {
    hidden = ctx.op("Relu", {hidden});
  }
  return linear(ctx, hidden, ctx.param("linear2.weight"), ctx.param("linear2.bias"));
}

}  // namespace

void emitMultiheadAttention(EmitContext& ctx, const OnnxOp&) {
  AttentionShape s = shapeOf(ctx, "embed_dim", "num_heads");
  s.biasKv = ctx.getBool("add_bias_kv");
  s.zeroAttn = ctx.getBool("add_zero_attn");
  bool separate = !ctx.isNone("kdim") && ctx.getInt("kdim") != s.embed;
  separate = separate || (!ctx.isNone("vdim") && ctx.getInt("vdim") != s.embed);
  const std::string& q = ctx.input(0);
  std::string k = ctx.hasInput(1) ? ctx.input(1) : q;
  std::string v = ctx.hasInput(2) ? ctx.input(2) : k;
  AttentionResult r = attend(ctx, "", q, k, v, separate, ctx.getBool("bias"), s);
  ctx.opTo("Identity", {r.output}, ctx.output(0));
  ctx.opTo("Identity", {r.weights}, ctx.output(1));
}

void emitTransformerLayer(EmitContext& ctx, const OnnxOp&) {
  AttentionShape s = shapeOf(ctx, "d_model", "nhead");
  bool normFirst = ctx.getBool("norm_first");
  double eps = ctx.getFloat("layer_norm_eps");
  bool isDecoder = ctx.inputCount() > 1;
  int norms = 0;
  auto norm = [&](const std::string& x) {
    std::string prefix = "norm" + std::to_string(++norms) + ".";
    return layerNorm(ctx, x, 1, eps, ctx.param(prefix + "weight"), ctx.param(prefix + "bias"));
  };
  // One residual sublayer: x + f(norm(x)) with norm_first, else norm(x + f(x)).
  auto sublayer = [&](const std::string& x, auto f) {
    if (normFirst) return ctx.op("Add", {x, f(norm(x))});
    return norm(ctx.op("Add", {x, f(x)}));
  };
  std::string x = ctx.input(0);
  x = sublayer(x, [&](const std::string& y) {
    return attend(ctx, "self_attn.", y, y, y, false, true, s).output;
  });
  if (isDecoder) {
    const std::string& memory = ctx.input(1);
    x = sublayer(x, [&](const std::string& y) {
      return attend(ctx, "multihead_attn.", y, memory, memory, false, true, s).output;
    });
  }
  x = sublayer(x, [&](const std::string& y) { return feedForward(ctx, y); });
  ctx.opTo("Identity", {x}, ctx.output(0));
}

}  // namespace sketch
