// Convolutions (Conv1d/2d/3d and the transposed ones). Weights keep PyTorch's layout, which
// is ONNX's too; other padding modes than zeros pad explicitly first.
#include <cstdint>

#include "building_blocks.h"
#include "emitters.h"

namespace sketch {

namespace {

/// ONNX pads [begin..., end...] for torch's symmetric padding or 'same'/'valid'.
std::vector<int64_t> convPads(const EmitContext& ctx, size_t rank) {
  std::vector<int64_t> begin(rank, 0), end(rank, 0);
  const Value& padding = ctx.attr("padding");
  if (padding.isString()) {
    if (padding.asString() == "same") {
      // torch puts the odd element of 'same' padding at the end.
      std::vector<int64_t> kernel = ctx.getInts("kernel_size", rank);
      std::vector<int64_t> dilation = ctx.getInts("dilation", rank);
      for (size_t i = 0; i < rank; ++i) {
        int64_t total = dilation[i] * (kernel[i] - 1);
        begin[i] = total / 2;
        end[i] = total - begin[i];
      }
    }
  } else {
    begin = end = ctx.getInts("padding", rank);
  }
  begin.insert(begin.end(), end.begin(), end.end());
  return begin;
}

void setWindow(onnx::NodeProto& n, const EmitContext& ctx, size_t rank) {
  setInts(n, "kernel_shape", ctx.getInts("kernel_size", rank));
  setInts(n, "strides", ctx.getInts("stride", rank));
  setInts(n, "dilations", ctx.getInts("dilation", rank));
  setInt(n, "group", ctx.getInt("groups"));
}

std::vector<std::string> convInputs(EmitContext& ctx, const std::string& x) {
  std::vector<std::string> inputs{x, ctx.param("weight")};
  if (ctx.getBool("bias")) inputs.push_back(ctx.param("bias"));
  return inputs;
}

/// Pads the spatial dims of x as torch's padding_mode does: reflect and replicate are Pad
/// modes; circular (a Pad mode only from opset 19) concatenates the wrapped-around ends.
std::string padSpatial(EmitContext& ctx, const std::string& x, const std::vector<int64_t>& pads,
                       const std::string& mode) {
  size_t rank = pads.size() / 2;
  if (mode == "circular") {
    std::string y = x;
    for (size_t i = 0; i < rank; ++i) {
      int64_t axis = int64_t(i + 2), begin = pads[i], end = pads[rank + i];
      std::vector<std::string> pieces;
      if (begin > 0)
        pieces.push_back(
            ctx.op("Slice", {y, ctx.ints({-begin}), ctx.ints({INT64_MAX}), ctx.ints({axis})}));
      pieces.push_back(y);
      if (end > 0)
        pieces.push_back(ctx.op("Slice", {y, ctx.ints({0}), ctx.ints({end}), ctx.ints({axis})}));
      if (pieces.size() == 1) continue;
      y = ctx.fresh("Concat");
      setInt(ctx.add("Concat", pieces, {y}), "axis", axis);
    }
    return y;
  }
  // Pad's pads cover every axis: none on N and C.
  std::vector<int64_t> all(2 * (rank + 2), 0);
  for (size_t i = 0; i < rank; ++i) {
    all[2 + i] = pads[i];
    all[rank + 4 + i] = pads[rank + i];
  }
  std::string padded = ctx.fresh("Pad");
  setString(ctx.add("Pad", {x, ctx.ints(all)}, {padded}), "mode",
            mode == "reflect" ? "reflect" : "edge");
  return padded;
}

}  // namespace

void emitConv(EmitContext& ctx, const OnnxOp& row) {
  size_t rank = windowRank(ctx);
  std::vector<int64_t> pads = convPads(ctx, rank);
  std::string x = ctx.input(0);
  const std::string& mode = ctx.getString("padding_mode");
  if (mode != "zeros") {
    x = padSpatial(ctx, x, pads, mode);
    pads.assign(2 * rank, 0);
  }
  onnx::NodeProto& n = ctx.add(row.foreign, convInputs(ctx, x), {ctx.output(0)});
  setWindow(n, ctx, rank);
  setInts(n, "pads", pads);
}

void emitConvTranspose(EmitContext& ctx, const OnnxOp& row) {
  size_t rank = windowRank(ctx);
  onnx::NodeProto& n = ctx.add(row.foreign, convInputs(ctx, ctx.input(0)), {ctx.output(0)});
  setWindow(n, ctx, rank);
  setInts(n, "pads", convPads(ctx, rank));
  setInts(n, "output_padding", ctx.getInts("output_padding", rank));
}

}  // namespace sketch
