// Normalisation layers in inference mode: BatchNorm with its running statistics, InstanceNorm,
// LayerNorm (LayerNormalization from opset 17), GroupNorm spelled out. LocalResponseNorm is
// one-to-one (onnx_ops.cpp).
#include <cstring>

#include "building_blocks.h"
#include "emitters.h"

namespace sketch {

namespace {

/// The affine weight and bias, or constant ones and zeros when the layer has none.
std::pair<std::string, std::string> affine(EmitContext& ctx, int64_t channels) {
  if (ctx.getBool("affine")) return {ctx.param("weight"), ctx.param("bias")};
  Tensor ones = *Tensor::zeros(DType::Float32, {channels});
  for (int64_t i = 0; i < channels; ++i) {
    float one = 1.0f;
    std::memcpy(ones.mutableData() + i * sizeof(float), &one, sizeof(float));
  }
  return {ctx.derived("ones", ones),
          ctx.derived("zeros", *Tensor::zeros(DType::Float32, {channels}))};
}

void batchNormalization(EmitContext& ctx, const char* onnxOp, int64_t channels) {
  auto [scale, bias] = affine(ctx, channels);
  onnx::NodeProto& n = ctx.add(
      onnxOp, {ctx.input(0), scale, bias, ctx.param("running_mean"), ctx.param("running_var")},
      {ctx.output(0)});
  setFloat(n, "epsilon", ctx.getFloat("eps"));
}

/// Without running statistics torch normalises by the batch's own (biased) statistics over
/// every dim but C, even in eval mode.
void batchStatistics(EmitContext& ctx, int64_t channels) {
  size_t rank = ctx.inputType(0).rank();
  std::vector<int64_t> axes{0};
  for (size_t i = 2; i < rank; ++i) axes.push_back(int64_t(i));
  const std::string& x = ctx.input(0);
  std::string centred = ctx.op("Sub", {x, reduce(ctx, "ReduceMean", x, axes, true)});
  std::string variance = reduce(ctx, "ReduceMean", ctx.op("Mul", {centred, centred}), axes, true);
  std::string deviation =
      ctx.op("Sqrt", {ctx.op("Add", {variance, ctx.scalar(ctx.getFloat("eps"))})});
  std::string y = ctx.op("Div", {centred, deviation});
  if (!ctx.getBool("affine")) return ctx.opTo("Identity", {y}, ctx.output(0));
  std::vector<int64_t> shape(rank - 1, 1);
  shape[0] = channels;
  std::string perChannel = ctx.ints(shape);
  y = ctx.op("Mul", {y, ctx.op("Reshape", {ctx.param("weight"), perChannel})});
  ctx.opTo("Add", {y, ctx.op("Reshape", {ctx.param("bias"), perChannel})}, ctx.output(0));
}

}  // namespace

void emitBatchNorm(EmitContext& ctx, const OnnxOp& row) {
  if (!ctx.getBool("track_running_stats")) return batchStatistics(ctx, ctx.getInt("num_features"));
  batchNormalization(ctx, row.foreign.c_str(), ctx.getInt("num_features"));
}

void emitInstanceNorm(EmitContext& ctx, const OnnxOp& row) {
  if (ctx.inputType(0).rank() < 3) return ctx.fail("has an unbatched input");
  int64_t channels = ctx.getInt("num_features");
  // With running statistics, eval mode normalises by them, as BatchNorm does.
  if (ctx.getBool("track_running_stats"))
    return batchNormalization(ctx, "BatchNormalization", channels);
  auto [scale, bias] = affine(ctx, channels);
  setFloat(ctx.add(row.foreign, {ctx.input(0), scale, bias}, {ctx.output(0)}), "epsilon",
           ctx.getFloat("eps"));
}

void emitLayerNorm(EmitContext& ctx, const OnnxOp&) {
  // normalized_shape is an int (one trailing dim) or a tuple.
  const Value& shape = ctx.attr("normalized_shape");
  int64_t axes = shape.isInt() ? 1 : static_cast<int64_t>(shape.asInts().size());
  bool affine = ctx.getBool("elementwise_affine");
  std::string y = layerNorm(ctx, ctx.input(0), axes, ctx.getFloat("eps"),
                            affine ? ctx.param("weight") : "", affine ? ctx.param("bias") : "");
  ctx.opTo("Identity", {y}, ctx.output(0));
}

void emitGroupNorm(EmitContext& ctx, const OnnxOp&) {
  // Normalise [N, G, C/G * spatial], then apply the per-channel affine on [N, C, *].
  const TensorType& in = ctx.inputType(0);
  if (in.rank() < 2) return ctx.fail("has an input below 2 dims");
  std::string grouped =
      ctx.op("Reshape", {ctx.input(0), ctx.ints({0, ctx.getInt("num_groups"), -1})});
  std::string normal = layerNorm(ctx, grouped, 1, ctx.getFloat("eps"), "", "");
  std::string y = ctx.op("Reshape", {normal, ctx.op("Shape", {ctx.input(0)})});
  if (ctx.getBool("affine")) {
    std::vector<int64_t> shape(in.rank() - 1, 1);
    shape[0] = ctx.getInt("num_channels");
    std::string perChannel = ctx.ints(shape);
    y = ctx.op("Mul", {y, ctx.op("Reshape", {ctx.param("weight"), perChannel})});
    y = ctx.op("Add", {y, ctx.op("Reshape", {ctx.param("bias"), perChannel})});
  }
  ctx.opTo("Identity", {y}, ctx.output(0));
}

}  // namespace sketch
