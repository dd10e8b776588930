// Gemm and MatMul. Gemm with a weight B is PyTorch's Linear (torch writes transB=1); alpha
// and beta fold into the weights, transA becomes a Transpose before it. MatMul by a 2-D
// weight followed by Add of a 1-D weight is how torch writes Linear on inputs above 2-D:
// the pair becomes one Linear, named after the bias (`linear1.bias` -> `linear1`). Other
// products stay MatMul.
#include "import/attention.h"
#include "import/converters.h"
#include "import/window_attrs.h"

namespace sketch::onnx_import {

namespace {

/// A Linear from `input` with weight [out, in] and optional bias [out].
std::optional<NodeId> emitLinear(ConvertContext& ctx, PortRef input, const Tensor& weight,
                                 const Tensor* bias, NameHint hint) {
  auto id = ctx.emit("Linear",
                     {kw("in_features", Value::ofInt(weight.shape()[1])),
                      kw("out_features", Value::ofInt(weight.shape()[0])),
                      kw("bias", Value::ofBool(bias != nullptr))},
                     {input}, std::move(hint));
  if (!id) return std::nullopt;
  ctx.setWeight(*id, "weight", weight);
  if (bias) ctx.setWeight(*id, "bias", *bias);
  return id;
}

/// Gemm's C as a Linear bias: a weight of [out] or [1, out] elements.
std::optional<Tensor> gemmBias(ConvertContext& ctx, int64_t out, double beta) {
  const Tensor* c = ctx.weight(2);
  if (!c || c->numel() != out || c->dtype() != DType::Float32) return std::nullopt;
  Tensor bias = reshapedTensor(*c, {out});
  return beta == 1.0 ? bias : scaled(bias, beta);
}

}  // namespace

bool importGemm(ConvertContext& ctx, const OnnxOp&) {
  const Tensor* b = ctx.weight(1);
  if (!b || b->shape().size() != 2 || b->dtype() != DType::Float32)
    return ctx.fail("needs B as a float32 matrix initializer to become a Linear");
  double alpha = ctx.attrFloat("alpha", 1.0), beta = ctx.attrFloat("beta", 1.0);
  Tensor weight = ctx.attrInt("transB", 0) ? *b : transpose2d(*b);
  if (alpha != 1.0) weight = scaled(weight, alpha);
  std::optional<Tensor> bias;
  if (ctx.hasInput(2)) {
    bias = gemmBias(ctx, weight.shape()[0], beta);
    if (!bias)
      return ctx.fail("needs C as an initializer of " + std::to_string(weight.shape()[0]) +
                      " elements to become a Linear bias");
  }
  auto input = ctx.port(0);
  if (!input) return false;
  if (ctx.attrInt("transA", 0)) {
    auto t =
        ctx.emit("Transpose", {kw("dim0", Value::ofInt(0)), kw("dim1", Value::ofInt(1))}, {*input});
    if (!t) return false;
    input = PortRef{*t, 0};
  }
  NameHint hint = ctx.hintFromWeight(1, "weight");
  auto id = emitLinear(ctx, *input, weight, bias ? &*bias : nullptr, hint);
  if (!id) return false;
  ctx.setOutput(0, {*id, 0});
  return true;
}

namespace {

/// The Add after a MatMul when it adds a 1-D weight of `out` elements: its operand index.
std::optional<int> biasOperand(ConvertContext& ctx, const onnx::NodeProto& add, int64_t out) {
  if (add.op_type() != "Add" || add.input_size() != 2) return std::nullopt;
  for (int i = 0; i < 2; ++i) {
    const ValueInfo* v = ctx.onnx().find(add.input(i));
    if (ctx.onnx().resolve(add.input(1 - i)) != ctx.onnx().resolve(ctx.node().output(0))) continue;
    if (v && v->initializer && v->constant->shape() == std::vector<int64_t>{out}) return i;
  }
  return std::nullopt;
}

/// A Linear's [out, in] weight from MatMul's B: a 2-D weight [in, out], or the Transpose
/// of an [out, in] weight (how sketchc writes Linear on inputs above 2-D), taken as it is.
std::optional<std::pair<Tensor, NameHint>> linearWeight(ConvertContext& ctx) {
  auto isMatrix = [](const Tensor* t) {
    return t && t->shape().size() == 2 && t->dtype() == DType::Float32;
  };
  if (const Tensor* b = ctx.weight(1); isMatrix(b))
    return std::make_pair(transpose2d(*b), ctx.hintFromWeight(1, "weight"));
  const onnx::NodeProto* t = ctx.onnx().producerOf(ctx.input(1));
  if (!t || t->op_type() != "Transpose" || t->input_size() != 1) return std::nullopt;
  std::vector<int64_t> perm = intsAttribute(*t, "perm");
  const ValueInfo* w = ctx.onnx().find(t->input(0));
  if ((!perm.empty() && perm != std::vector<int64_t>{1, 0}) || !w || !w->initializer ||
      !isMatrix(&*w->constant))
    return std::nullopt;
  return std::make_pair(*w->constant, ctx.hintFromValue(t->input(0), "weight"));
}

}  // namespace

bool importMatMul(ConvertContext& ctx, const OnnxOp&) {
  if (importSelfAttention(ctx)) return true;
  auto input = ctx.port(0);
  if (!input) return false;
  std::optional<std::pair<Tensor, NameHint>> linear = linearWeight(ctx);
  if (!linear) {
    auto other = ctx.port(1);
    if (!other) return false;
    auto id = ctx.emit("MatMul", {}, {*input, *other});
    if (!id) return false;
    ctx.setOutput(0, {*id, 0});
    return true;
  }
  auto& [weight, hint] = *linear;
  const onnx::NodeProto* add = ctx.soleConsumer(ctx.node().output(0));
  std::optional<int> operand = add ? biasOperand(ctx, *add, weight.shape()[0]) : std::nullopt;
  if (!operand) {
    auto id = emitLinear(ctx, *input, weight, nullptr, hint);
    if (!id) return false;
    ctx.setOutput(0, {*id, 0});
    return true;
  }
  const std::string& biasName = add->input(*operand);
  const Tensor& bias = *ctx.onnx().find(biasName)->constant;
  std::string suffix = ".bias";
  if (hint.exact.empty() && biasName.size() > suffix.size() &&
      biasName.find("::") == std::string::npos &&
      biasName.compare(biasName.size() - suffix.size(), suffix.size(), suffix) == 0)
    hint.exact = biasName.substr(0, biasName.size() - suffix.size());
  auto id = emitLinear(ctx, *input, weight, &bias, hint);
  if (!id) return false;
  ctx.absorb(*add);
  ctx.bindValue(add->output(0), {*id, 0});
  return true;
}

}  // namespace sketch::onnx_import
