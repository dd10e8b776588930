// MaxPool/AveragePool -> MaxPool{1,2,3}d/AvgPool{1,2,3}d; GlobalAveragePool/GlobalMaxPool
// -> AdaptiveAvgPool/AdaptiveMaxPool with output size 1, which is how torch writes them.
#include "import/converters.h"
#include "import/window_attrs.h"

namespace sketch::onnx_import {

namespace {

std::optional<size_t> spatialRank(ConvertContext& ctx) {
  const TensorType* in = ctx.inputType(0);
  if (!in || in->rank() < 3 || in->rank() > 5) {
    ctx.fail("needs an input of known rank 3 to 5");
    return std::nullopt;
  }
  return in->rank() - 2;
}

}  // namespace

bool importPool(ConvertContext& ctx, const OnnxOp& row) {
  bool max = row.op == "MaxPool";
  auto rank = spatialRank(ctx);
  if (!rank) return false;
  if (max && ctx.node().output_size() > 1 && !ctx.node().output(1).empty())
    return ctx.fail("its indices output has no PyTorch counterpart");
  auto w = readWindow(ctx, *rank, ctx.attrInts("kernel_shape"));
  if (!w) return false;
  std::vector<CallArgument> args = {kw("kernel_size", ints(w->kernel)),
                                    kw("stride", ints(w->stride)), kw("padding", ints(w->padding)),
                                    kw("ceil_mode", Value::ofBool(ctx.attrInt("ceil_mode", 0)))};
  std::string op = row.op + std::to_string(*rank) + "d";
  if (max) {
    args.push_back(kw("dilation", ints(w->dilation)));
    return emitUnaryOp(ctx, op, args);
  }
  if (w->dilation != std::vector<int64_t>(*rank, 1))
    return ctx.fail("AvgPool in PyTorch has no dilation");
  args.push_back(kw("count_include_pad", Value::ofBool(ctx.attrInt("count_include_pad", 0))));
  return emitUnaryOp(ctx, op, args);
}

bool importGlobalPool(ConvertContext& ctx, const OnnxOp& row) {
  auto rank = spatialRank(ctx);
  if (!rank) return false;
  return emitUnaryOp(ctx, row.op + std::to_string(*rank) + "d",
                     {kw("output_size", Value::ofInt(1))});
}

}  // namespace sketch::onnx_import
