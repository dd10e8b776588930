// Conv -> Conv1d/2d/3d. torch.onnx.export in eval mode folds BatchNorm into the preceding
// Conv (weights named onnx::Conv_NN): the result is a Conv with bias, named by its scope.
#include "import/families.h"
#include "import/window_attrs.h"

namespace sketch::onnx_import {

namespace {

bool importConv(ConvertContext& ctx) {
  const Tensor* weight = ctx.weight(1);
  if (!weight || weight->shape().size() < 3 || weight->shape().size() > 5)
    return ctx.fail("needs its weight as an initializer of rank 3 to 5");
  const std::vector<int64_t>& w = weight->shape();
  size_t rank = w.size() - 2;
  std::vector<int64_t> kernel = ctx.attrInts("kernel_shape");
  if (kernel.empty()) kernel.assign(w.begin() + 2, w.end());
  auto window = readWindow(ctx, rank, kernel);
  if (!window) return false;
  const Tensor* bias = ctx.hasInput(2) ? ctx.weight(2) : nullptr;
  if (ctx.hasInput(2) && !bias) return ctx.fail("needs its bias as an initializer");
  int64_t groups = ctx.attrInt("group", 1);
  auto input = ctx.port(0);
  if (!input) return false;
  auto id = ctx.emit(
      "Conv" + std::to_string(rank) + "d",
      {kw("in_channels", Value::ofInt(w[1] * groups)), kw("out_channels", Value::ofInt(w[0])),
       kw("kernel_size", ints(kernel)), kw("stride", ints(window->stride)),
       kw("padding", ints(window->padding)), kw("dilation", ints(window->dilation)),
       kw("groups", Value::ofInt(groups)), kw("bias", Value::ofBool(bias != nullptr))},
      {*input}, ctx.hintFromWeight(1, "weight"));
  if (!id) return false;
  ctx.setWeight(*id, "weight", *weight);
  if (bias) ctx.setWeight(*id, "bias", *bias);
  ctx.setOutput(0, {*id, 0});
  return true;
}

}  // namespace

void registerConvImporters(ConverterRegistry& r) { r.addVersions("Conv", {11}, importConv); }

}  // namespace sketch::onnx_import
