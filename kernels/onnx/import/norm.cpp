// BatchNormalization -> BatchNorm{1,2,3}d (by input rank; ONNX's momentum is PyTorch's
// 1 - momentum), InstanceNormalization -> InstanceNorm{1,2,3}d and LayerNormalization ->
// LayerNorm over the dims from `axis` on. The decomposed LayerNorm torch 1.13 writes at
// opset < 17 is matched in reduce.cpp.
#include "import/converters.h"
#include "import/window_attrs.h"

namespace sketch::onnx_import {

namespace {

const char* const kBatchNormWeights[] = {"weight", "bias", "running_mean", "running_var"};

bool filledWith(const Tensor& t, double value) {
  for (double v : floatElements(t))
    if (v != value) return false;
  return true;
}

}  // namespace

/// Statistics of each sample and channel, as PyTorch's InstanceNorm computes without
/// running statistics (its default) in both modes.
bool importInstanceNorm(ConvertContext& ctx, const OnnxOp&) {
  const TensorType* in = ctx.inputType(0);
  if (!in || in->rank() < 3 || in->rank() > 5) return ctx.fail("needs an input of known rank 3 to 5");
  const Tensor *scale = ctx.weight(1), *bias = ctx.weight(2);
  if (!scale || !bias || scale->dtype() != DType::Float32 || bias->dtype() != DType::Float32 ||
      scale->numel() != bias->numel())
    return ctx.fail("needs scale and B as float32 initializers of one size");
  // torch.onnx.export writes an InstanceNorm without affine weights with ones and zeros.
  NameHint weightHint = ctx.hintFromWeight(1, "weight");
  bool affine = !weightHint.exact.empty() || !filledWith(*scale, 1.0) || !filledWith(*bias, 0.0);
  auto input = ctx.port(0);
  if (!input) return false;
  auto id = ctx.emit("InstanceNorm" + std::to_string(in->rank() - 2) + "d",
                     {kw("num_features", Value::ofInt(scale->numel())),
                      kw("eps", Value::ofFloat(ctx.attrFloat("epsilon", 1e-5))),
                      kw("affine", Value::ofBool(affine))},
                     {*input}, affine ? weightHint : NameHint{});
  if (!id) return false;
  if (affine) {
    ctx.setWeight(*id, "weight", *scale);
    ctx.setWeight(*id, "bias", *bias);
  }
  ctx.setOutput(0, {*id, 0});
  return true;
}

bool importBatchNorm(ConvertContext& ctx, const OnnxOp&) {
  const TensorType* in = ctx.inputType(0);
  if (!in || in->rank() < 2 || in->rank() > 5)
    return ctx.fail("needs an input of known rank 2 to 5");
  if (ctx.attrInt("training_mode", 0)) return ctx.fail("runs in training mode");
  if (ctx.node().output_size() > 1) return ctx.fail("its running statistics outputs are used");
  std::vector<const Tensor*> tensors;
  for (size_t i = 1; i <= 4; ++i) {
    tensors.push_back(ctx.weight(i));
    if (!tensors.back() || tensors.back()->dtype() != DType::Float32)
      return ctx.fail("needs scale, bias, mean and variance as float32 initializers");
  }
  int64_t features = tensors[0]->numel();
  size_t rank = in->rank() <= 3 ? 1 : in->rank() - 2;
  // A layer without affine weights is written with constant ones and zeros: they are no
  // parameters, unless the file names them as the layer's (a layer fresh from its init).
  NameHint weightHint = ctx.hintFromWeight(1, "weight");
  bool affine = !weightHint.exact.empty() || !filledWith(*tensors[0], 1.0) ||
                !filledWith(*tensors[1], 0.0);
  auto input = ctx.port(0);
  if (!input) return false;
  double momentum = shortFloat(float(1.0 - ctx.attrFloat("momentum", 0.9)));
  auto id = ctx.emit("BatchNorm" + std::to_string(rank) + "d",
                     {kw("num_features", Value::ofInt(features)),
                      kw("eps", Value::ofFloat(ctx.attrFloat("epsilon", 1e-5))),
                      kw("momentum", Value::ofFloat(momentum)), kw("affine", Value::ofBool(affine))},
                     {*input}, affine ? weightHint : ctx.hintFromWeight(3, "running_mean"));
  if (!id) return false;
  for (size_t i = affine ? 0 : 2; i < 4; ++i) ctx.setWeight(*id, kBatchNormWeights[i], *tensors[i]);
  ctx.setOutput(0, {*id, 0});
  return true;
}

bool importLayerNorm(ConvertContext& ctx, const OnnxOp&) {
  const TensorType* in = ctx.inputType(0);
  if (!in) return ctx.fail("needs an input of known shape");
  int64_t axis = ctx.attrInt("axis", -1);
  if (axis < 0) axis += static_cast<int64_t>(in->rank());
  std::vector<int64_t> normalized;
  for (size_t i = static_cast<size_t>(axis); i < in->rank(); ++i) {
    if (!in->dims[i].isKnown()) return ctx.fail("normalises a dim of unknown size");
    normalized.push_back(in->dims[i].value());
  }
  const Tensor* scale = ctx.weight(1);
  const Tensor* bias = ctx.hasInput(2) ? ctx.weight(2) : nullptr;
  if (!scale || (ctx.hasInput(2) && !bias)) return ctx.fail("needs scale and bias as initializers");
  if (ctx.node().output_size() > 1)
    return ctx.fail("its mean and inverse deviation outputs are used");
  auto input = ctx.port(0);
  if (!input) return false;
  auto id = ctx.emit("LayerNorm",
                     {kw("normalized_shape", ints(normalized)),
                      kw("eps", Value::ofFloat(ctx.attrFloat("epsilon", 1e-5)))},
                     {*input}, ctx.hintFromWeight(1, "weight"));
  if (!id) return false;
  ctx.setWeight(*id, "weight", reshapedTensor(*scale, normalized));
  ctx.setWeight(*id, "bias", bias ? reshapedTensor(*bias, normalized) : filled(normalized, 0.0f));
  ctx.setOutput(0, {*id, 0});
  return true;
}

}  // namespace sketch::onnx_import
