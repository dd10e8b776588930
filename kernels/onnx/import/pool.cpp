// MaxPool/AveragePool -> MaxPool{1,2,3}d/AvgPool{1,2,3}d; GlobalAveragePool/GlobalMaxPool
// -> AdaptiveAvgPool/AdaptiveMaxPool with output size 1, which is how torch writes them.
#include "import/families.h"
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

bool emitPool(ConvertContext& ctx, const std::string& op, std::vector<CallArgument> args) {
  auto input = ctx.port(0);
  if (!input) return false;
  auto id = ctx.emit(op, args, {*input});
  if (!id) return false;
  ctx.setOutput(0, {*id, 0});
  return true;
}

bool importPool(ConvertContext& ctx, bool max) {
  auto rank = spatialRank(ctx);
  if (!rank) return false;
  if (max && ctx.node().output_size() > 1 && !ctx.node().output(1).empty())
    return ctx.fail("its indices output has no PyTorch counterpart");
  auto w = readWindow(ctx, *rank, ctx.attrInts("kernel_shape"));
  if (!w) return false;
  std::vector<CallArgument> args = {kw("kernel_size", ints(w->kernel)),
                                    kw("stride", ints(w->stride)), kw("padding", ints(w->padding)),
                                    kw("ceil_mode", Value::ofBool(ctx.attrInt("ceil_mode", 0)))};
  std::string suffix = std::to_string(*rank) + "d";
  if (max) {
    args.push_back(kw("dilation", ints(w->dilation)));
    return emitPool(ctx, "MaxPool" + suffix, args);
  }
  if (w->dilation != std::vector<int64_t>(*rank, 1))
    return ctx.fail("AvgPool in PyTorch has no dilation");
  args.push_back(kw("count_include_pad", Value::ofBool(ctx.attrInt("count_include_pad", 0))));
  return emitPool(ctx, "AvgPool" + suffix, args);
}

bool importGlobalPool(ConvertContext& ctx, const std::string& kind) {
  auto rank = spatialRank(ctx);
  if (!rank) return false;
  return emitPool(ctx, "Adaptive" + kind + "Pool" + std::to_string(*rank) + "d",
                  {kw("output_size", Value::ofInt(1))});
}

}  // namespace

void registerPoolImporters(ConverterRegistry& r) {
  r.addVersions("MaxPool", {12}, [](ConvertContext& ctx) { return importPool(ctx, true); });
  r.addVersions("AveragePool", {11}, [](ConvertContext& ctx) { return importPool(ctx, false); });
  r.addVersions("GlobalAveragePool", {1},
                [](ConvertContext& ctx) { return importGlobalPool(ctx, "Avg"); });
  r.addVersions("GlobalMaxPool", {1},
                [](ConvertContext& ctx) { return importGlobalPool(ctx, "Max"); });
}

}  // namespace sketch::onnx_import
