// Attention layers: torch.nn.MultiheadAttention and the Transformer encoder and decoder
// layers built on it. Sequences are [L, N, E] ([N, L, E] with batch_first) or unbatched
// [L, E]. Parameter names and initialisation are PyTorch's, including the module prefixes
// of the layers (self_attn.in_proj_weight, linear1.weight, norm1.weight).
#include <cmath>

#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/op_helpers.h"

namespace sketch {

namespace {

/// Where batch and sequence sit in a batched [L, N, E] or [N, L, E] sequence.
struct SequenceLayout {
  bool batched;
  bool batchFirst;
  Dim batch(const TensorType& t) const { return t.dims[batchFirst ? 0 : 1]; }
  Dim length(const TensorType& t) const { return t.dims[batched && batchFirst ? 1 : 0]; }
};

/// Checks that sequence input `i` has the rank, batch size and features of the query.
bool checkSequence(ShapeContext& ctx, size_t i, const SequenceLayout& layout, int64_t features,
                   const std::string& featureAttr) {
  const TensorType& query = ctx.input(0);
  const TensorType& t = ctx.input(i);
  const std::string& port = ctx.op().inputs()[i].name;
  const std::string& queryPort = ctx.op().inputs()[0].name;
  if (t.rank() != query.rank()) {
    ctx.inputError(i, ctx.label() + " expects " + port + " with " + std::to_string(query.rank()) +
                          " dims like " + queryPort + " (" + ctx.describeInput(0) + "), but " +
                          ctx.describeInput(i));
    return false;
  }
  if (layout.batched && layout.batch(t) != layout.batch(query)) {
    ctx.inputError(i, ctx.label() + " expects " + port + " with the batch size of " + queryPort +
                          " (" + ctx.describeInput(0) + "), but " + ctx.describeInput(i));
    return false;
  }
  if (t.dims.back() != Dim::known(features)) {
    ctx.inputError(i, ctx.label() + " expects " + port + " with " + std::to_string(features) +
                          " features (" + featureAttr + "), but " + ctx.describeInput(i));
    return false;
  }
  return true;
}

/// Infers `featureAttr` (embed_dim, d_model) from input 0 and checks heads divide it.
std::optional<SequenceLayout> startAttention(ShapeContext& ctx, const std::string& featureAttr,
                                             const std::string& headsAttr) {
  if (!ctx.expectRank(0, {2, 3})) return std::nullopt;
  if (!ctx.inferInt(featureAttr, ctx.input(0).dims.back(), 0, "features")) return std::nullopt;
  int64_t features = ctx.getInt(featureAttr), heads = ctx.getInt(headsAttr);
  if (heads <= 0 || features % heads != 0) {
    ctx.attrError(headsAttr, ctx.label() + " needs " + featureAttr + " (" +
                                 std::to_string(features) + ") divisible by " + headsAttr + " (" +
                                 std::to_string(heads) + ")");
    return std::nullopt;
  }
  return SequenceLayout{ctx.input(0).rank() == 3, ctx.getBool("batch_first")};
}

int64_t dimOr(const ShapeContext& ctx, const std::string& attr, int64_t fallback) {
  return ctx.isNone(attr) ? fallback : ctx.getInt(attr);
}

void inferMultiheadAttention(ShapeContext& ctx) {
  auto layout = startAttention(ctx, "embed_dim", "num_heads");
  if (!layout) return;
  if (ctx.hasInput(1) != ctx.hasInput(2)) {
    return ctx.error(ctx.label() + " takes key and value together",
                     "link both key and value, or neither for self-attention");
  }
  int64_t embed = ctx.getInt("embed_dim");
  // Unlinked key and value mean self-attention: both are the query.
  size_t key = ctx.hasInput(1) ? 1 : 0, value = ctx.hasInput(2) ? 2 : 0;
  if (key != 0 && !checkSequence(ctx, key, *layout, dimOr(ctx, "kdim", embed), "kdim")) return;
  if (value != 0 && !checkSequence(ctx, value, *layout, dimOr(ctx, "vdim", embed), "vdim")) return;
  const TensorType& query = ctx.input(0);
  Dim keyLength = layout->length(ctx.input(key));
  if (keyLength != layout->length(ctx.input(value))) {
    return ctx.inputError(value, ctx.label() +
                                     " expects key and value of one sequence length, but " +
                                     ctx.describeInput(key) + " and " + ctx.describeInput(value));
  }
  // bias_k/bias_v and the zero attention each append one key position.
  Dim sourceLength =
      keyLength + int64_t{ctx.getBool("add_bias_kv")} + int64_t{ctx.getBool("add_zero_attn")};
  std::vector<Dim> weights{layout->length(query), sourceLength};
  if (layout->batched) weights.insert(weights.begin(), layout->batch(query));
  ctx.setOutput(0, query);
  ctx.setOutput(1, TensorType::of(query.dtype, weights));
}

/// xavier_uniform_ on a [fanOut, fanIn] weight.
ParamSpec xavierWeight(std::string name, int64_t fanOut, int64_t fanIn) {
  double fans = static_cast<double>(fanIn) + static_cast<double>(fanOut);  // no int overflow
  Init init = Init::uniform(std::sqrt(6.0 / fans));
  return parameter(std::move(name), {fanOut, fanIn}, init);
}

/// MultiheadAttention's tensors in state_dict order (its own first, then out_proj).
void addAttention(std::vector<ParamSpec>& params, const std::string& prefix, int64_t embed,
                  int64_t kdim, int64_t vdim, bool bias, bool biasKv) {
  if (kdim == embed && vdim == embed) {
    params.push_back(xavierWeight(prefix + "in_proj_weight", saturatingProduct({3, embed}), embed));
  } else {
    params.push_back(xavierWeight(prefix + "q_proj_weight", embed, embed));
    params.push_back(xavierWeight(prefix + "k_proj_weight", embed, kdim));
    params.push_back(xavierWeight(prefix + "v_proj_weight", embed, vdim));
  }
  if (bias)
    params.push_back(
        parameter(prefix + "in_proj_bias", {saturatingProduct({3, embed})}, Init::fill(0)));
  if (biasKv) {
    // xavier_normal_ on [1, 1, E]: std = sqrt(2 / (E + E)).
    Init init = Init::normal(std::sqrt(1.0 / static_cast<double>(embed)));
    params.push_back(parameter(prefix + "bias_k", {1, 1, embed}, init));
    params.push_back(parameter(prefix + "bias_v", {1, 1, embed}, init));
  }
  params.push_back(parameter(prefix + "out_proj.weight", {embed, embed}, fanInUniform(embed)));
  // MultiheadAttention zeroes out_proj's bias after nn.Linear initialised it.
  if (bias) params.push_back(parameter(prefix + "out_proj.bias", {embed}, Init::fill(0)));
}

/// Per sample: the q, k, v and output projections, scores and the weighted sum.
int64_t attentionMacs(int64_t queries, int64_t keys, int64_t embed, int64_t kdim, int64_t vdim) {
  return saturatingSum({saturatingProduct({queries, embed, embed, 2}),
                        saturatingProduct({keys, embed, saturatingSum({kdim, vdim})}),
                        saturatingProduct({2, queries, keys, embed})});
}

/// Batch and sequence length of a sequence type for MAC counts (symbolic counts as 1).
std::pair<int64_t, int64_t> batchAndLength(const TensorType& t, bool batchFirst) {
  if (t.rank() == 2) return {1, sizeOrOne(t.dims[0])};
  return {sizeOrOne(t.dims[batchFirst ? 0 : 1]), sizeOrOne(t.dims[batchFirst ? 1 : 0])};
}

/// The weights output is always there: forward's defaults need_weights=True and
/// average_attn_weights=True give [N, L, S] averaged over heads, never None.
OpDef multiheadAttention() {
  return OpDef("MultiheadAttention", "multi-head scaled dot-product attention")
      .category("attention")
      .impliedInput(impliesSequenceInput("embed_dim"))
      .inferred("embed_dim", AttrType::Int, "features of the query (its last dim)")
      .required("num_heads", AttrType::Int, "parallel heads; must divide embed_dim")
      .optional("dropout", AttrType::Float, Value::ofFloat(0.0), "dropout on attention weights")
      .optional("bias", AttrType::Bool, Value::ofBool(true), "add input and output biases")
      .optional("add_bias_kv", AttrType::Bool, Value::ofBool(false), "append bias_k and bias_v")
      .optional("add_zero_attn", AttrType::Bool, Value::ofBool(false),
                "append a zero key and value")
      .optional("kdim", AttrType::Int, Value::none(), "key features; none for embed_dim")
      .optional("vdim", AttrType::Int, Value::none(), "value features; none for embed_dim")
      .optional("batch_first", AttrType::Bool, Value::ofBool(false), "sequences are [N, L, E]")
      .input("query")
      .input("key", true)
      .input("value", true)
      .output("attn_output")
      .output("attn_output_weights")
      .shape(inferMultiheadAttention)
      .params([](const Attrs& a) {
        int64_t embed = a.at("embed_dim").asInt();
        std::vector<ParamSpec> params;
        addAttention(params, "", embed, intOr(a, "kdim", embed), intOr(a, "vdim", embed),
                     a.at("bias").asBool(), a.at("add_bias_kv").asBool());
        return params;
      })
      .macs([](const Attrs& a, const std::vector<TensorType>&, const std::vector<TensorType>& out) {
        // attn_output_weights is [N, L, S] (or [L, S]) whatever batch_first says.
        const TensorType& w = out[1];
        int64_t batch = w.rank() == 3 ? sizeOrOne(w.dims[0]) : 1;
        int64_t embed = a.at("embed_dim").asInt();
        return saturatingProduct({batch, attentionMacs(sizeOrOne(w.dim(-2)), sizeOrOne(w.dim(-1)),
                                                       embed, intOr(a, "kdim", embed),
                                                       intOr(a, "vdim", embed))});
      });
}

void inferTransformerLayer(ShapeContext& ctx, bool isDecoder) {
  auto layout = startAttention(ctx, "d_model", "nhead");
  if (!layout) return;
  if (ctx.getInt("dim_feedforward") <= 0) {
    return ctx.attrError("dim_feedforward", ctx.label() + " needs dim_feedforward > 0, but got " +
                                                std::to_string(ctx.getInt("dim_feedforward")));
  }
  if (isDecoder && !checkSequence(ctx, 1, *layout, ctx.getInt("d_model"), "d_model")) return;
  sameShape(ctx);
}

std::vector<ParamSpec> transformerParams(const Attrs& a, bool isDecoder) {
  int64_t model = a.at("d_model").asInt(), feedforward = a.at("dim_feedforward").asInt();
  std::vector<ParamSpec> params;
  addAttention(params, "self_attn.", model, model, model, true, false);
  if (isDecoder) addAttention(params, "multihead_attn.", model, model, model, true, false);
  appendWeightAndBias(params, {feedforward, model}, model, feedforward, "linear1.");
  appendWeightAndBias(params, {model, feedforward}, feedforward, model, "linear2.");
  for (int norm = 1; norm <= (isDecoder ? 3 : 2); ++norm)
    appendAffine(params, {model}, "norm" + std::to_string(norm) + ".");
  return params;
}

int64_t transformerMacs(const Attrs& a, const std::vector<TensorType>& in, bool isDecoder) {
  bool batchFirst = a.at("batch_first").asBool();
  int64_t model = a.at("d_model").asInt(), feedforward = a.at("dim_feedforward").asInt();
  auto [batch, length] = batchAndLength(in[0], batchFirst);
  int64_t perSample = saturatingSum({attentionMacs(length, length, model, model, model),
                                     saturatingProduct({2, length, model, feedforward})});
  if (isDecoder) {
    int64_t memoryLength = batchAndLength(in[1], batchFirst).second;
    int64_t cross = attentionMacs(length, memoryLength, model, model, model);
    perSample = saturatingSum({perSample, cross});
  }
  return saturatingProduct({batch, perSample});
}

OpDef transformerLayer(bool isDecoder) {
  AttrDef activation = choiceAttr("activation", Value::ofString("relu"), {"relu", "gelu"},
                                  "activation of the feedforward network");
  OpDef op(isDecoder ? "TransformerDecoderLayer" : "TransformerEncoderLayer",
           isDecoder ? "self-attention, attention over memory and a feedforward network"
                     : "self-attention and a feedforward network");
  op.category("attention")
      .impliedInput(impliesSequenceInput("d_model"))
      .inferred("d_model", AttrType::Int, "features of the sequence (its last dim)")
      .required("nhead", AttrType::Int, "attention heads; must divide d_model")
      .optional("dim_feedforward", AttrType::Int, Value::ofInt(2048),
                "hidden size of the feedforward network")
      .optional("dropout", AttrType::Float, Value::ofFloat(0.1), "dropout rate")
      .attr(activation)
      .optional("layer_norm_eps", AttrType::Float, Value::ofFloat(1e-5), "LayerNorm epsilon")
      .optional("batch_first", AttrType::Bool, Value::ofBool(false), "sequences are [N, L, E]")
      .optional("norm_first", AttrType::Bool, Value::ofBool(false),
                "LayerNorm before each sublayer");
  if (isDecoder)
    op.input("tgt").input("memory");
  else
    op.input("src");
  op.output("output")
      .shape([isDecoder](ShapeContext& ctx) { inferTransformerLayer(ctx, isDecoder); })
      .params([isDecoder](const Attrs& a) { return transformerParams(a, isDecoder); })
      .macs([isDecoder](const Attrs& a, const std::vector<TensorType>& in,
                        const std::vector<TensorType>&) {
        return transformerMacs(a, in, isDecoder);
      });
  return op;
}

}  // namespace

void registerAttentionOps(OpCatalogue& catalogue) {
  catalogue.add(multiheadAttention());
  catalogue.add(transformerLayer(false));
  catalogue.add(transformerLayer(true));
}

}  // namespace sketch
