// Conv -> Conv1d/2d/3d, ConvTranspose -> ConvTranspose1d/2d/3d (ONNX and PyTorch share the
// weight layouts). torch.onnx.export in eval mode folds BatchNorm into the preceding Conv
// (weights named onnx::Conv_NN): the result is a Conv with bias, named by its scope.
// Asymmetric pads, which PyTorch's Conv cannot express, become a padding layer before it.
#include "import/converters.h"
#include "import/window_attrs.h"

namespace sketch::onnx_import {

namespace {

/// Spatial pads [b..., e...] as pads of every dim of an [N, C, *spatial] input.
std::vector<int64_t> withBatchAndChannels(const std::vector<int64_t>& spatial) {
  size_t rank = spatial.size() / 2;
  std::vector<int64_t> pads(2, 0);
  pads.insert(pads.end(), spatial.begin(), spatial.begin() + rank);
  pads.insert(pads.end(), 2, 0);
  pads.insert(pads.end(), spatial.begin() + rank, spatial.end());
  return pads;
}

}  // namespace

bool importConv(ConvertContext& ctx, const OnnxOp& row) {
  bool transposed = row.op == "ConvTranspose";
  const Tensor* weight = ctx.weight(1);
  if (!weight || weight->shape().size() < 3 || weight->shape().size() > 5)
    return ctx.fail("needs its weight as an initializer of rank 3 to 5");
  const std::vector<int64_t>& w = weight->shape();
  size_t rank = w.size() - 2;
  std::vector<int64_t> kernel = ctx.attrInts("kernel_shape");
  if (kernel.empty()) kernel.assign(w.begin() + 2, w.end());
  if (transposed &&
      (ctx.hasAttr("output_shape") || ctx.attrString("auto_pad", "NOTSET") != "NOTSET"))
    return ctx.fail("output_shape and auto_pad are not converted; give pads instead");
  auto window = readWindow(ctx, rank, kernel, /*allowAsymmetric=*/!transposed);
  if (!window) return false;
  const Tensor* bias = ctx.hasInput(2) ? ctx.weight(2) : nullptr;
  if (ctx.hasInput(2) && !bias) return ctx.fail("needs its bias as an initializer");
  int64_t groups = ctx.attrInt("group", 1);
  auto input = ctx.port(0);
  if (!input) return false;
  if (!window->asymmetricPads.empty()) {
    input = emitConstantPad(ctx, *input, withBatchAndChannels(window->asymmetricPads), 0.0);
    if (!input) return false;
  }
  // ONNX and PyTorch both lay out weights as [out, in/groups, k...] for Conv and
  // [in, out/groups, k...] for ConvTranspose.
  int64_t in = transposed ? w[0] : w[1] * groups, out = transposed ? w[1] * groups : w[0];
  std::vector<CallArgument> args = {
      kw("in_channels", Value::ofInt(in)),  kw("out_channels", Value::ofInt(out)),
      kw("kernel_size", ints(kernel)),      kw("stride", ints(window->stride)),
      kw("padding", ints(window->padding)), kw("dilation", ints(window->dilation)),
      kw("groups", Value::ofInt(groups)),   kw("bias", Value::ofBool(bias != nullptr))};
  if (transposed) {
    std::vector<int64_t> extra = ctx.attrInts("output_padding");
    args.push_back(
        kw("output_padding", ints(extra.empty() ? std::vector<int64_t>(rank, 0) : extra)));
  }
  auto id = ctx.emit(row.op + std::to_string(rank) + "d", args,
                     {*input}, ctx.hintFromWeight(1, "weight"));
  if (!id) return false;
  ctx.setWeight(*id, "weight", *weight);
  if (bias) ctx.setWeight(*id, "bias", *bias);
  ctx.setOutput(0, {*id, 0});
  return true;
}

}  // namespace sketch::onnx_import
