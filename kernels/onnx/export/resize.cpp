// Layers that move pixels: constant padding (Pad), PixelShuffle (DepthToSpace) and Upsample
// (Resize, with the coordinate rules that reproduce torch's interpolate).
#include <cstring>

#include "building_blocks.h"
#include "emitters.h"

namespace sketch {

namespace {

struct ResizeMode {
  const char* torch;
  const char* mode;
  const char* nearestMode;  // nullptr: not a nearest mode
  const char* coordinates;  // without align_corners
};

// torch's nearest takes floor(dst * in / out); nearest-exact rounds the half-pixel centre.
constexpr ResizeMode kResizeModes[] = {
    {"nearest", "nearest", "floor", "asymmetric"},
    {"nearest-exact", "nearest", "round_prefer_ceil", "half_pixel"},
    {"linear", "linear", nullptr, "pytorch_half_pixel"},
    {"bilinear", "linear", nullptr, "pytorch_half_pixel"},
    {"trilinear", "linear", nullptr, "pytorch_half_pixel"},
    {"bicubic", "cubic", nullptr, "pytorch_half_pixel"},
};

const ResizeMode* resizeMode(const std::string& torch) {
  for (const ResizeMode& m : kResizeModes)
    if (torch == m.torch) return &m;
  return nullptr;
}

}  // namespace

void emitPad(EmitContext& ctx, const OnnxOp& row) {
  // torch lists (begin, end) pairs from the last dim backwards; ONNX all begins, then ends.
  size_t count = static_cast<size_t>(ctx.node().op->findAttr("padding")->rank);
  std::vector<int64_t> torchPads = ctx.getInts("padding", count);
  size_t rank = ctx.inputType(0).rank();
  std::vector<int64_t> pads(2 * rank, 0);
  for (size_t i = 0; i < count / 2; ++i) {
    size_t axis = rank - 1 - i;
    pads[axis] = torchPads[2 * i];
    pads[rank + axis] = torchPads[2 * i + 1];
  }
  double value = ctx.isNone("value") ? 0.0 : ctx.getFloat("value");
  ctx.opTo(row.foreign, {ctx.input(0), ctx.ints(pads), ctx.scalar(value)}, ctx.output(0));
}

void emitPixelShuffle(EmitContext& ctx, const OnnxOp& row) {
  // torch takes [*, C, H, W]; DepthToSpace only [N, C, H, W].
  if (ctx.inputType(0).rank() == 3) ctx.addBatchDim();
  if (ctx.inputType(0).rank() != 4) return ctx.fail("has more than one batch dim");
  // torch's channel order c * r * r + i * r + j is DepthToSpace's CRD mode.
  onnx::NodeProto& n = ctx.add(row.foreign, {ctx.input(0)}, {ctx.output(0)});
  setInt(n, "blocksize", ctx.getInt("upscale_factor"));
  setString(n, "mode", "CRD");
}

void emitUpsample(EmitContext& ctx, const OnnxOp& row) {
  // torch's 'area' mode is adaptive average pooling to the output size.
  if (ctx.getString("mode") == "area") return adaptivePool(ctx, false);
  const ResizeMode& mode = *resizeMode(ctx.getString("mode"));
  const TensorType& in = ctx.inputType(0);
  const TensorType& out = ctx.outputType(0);
  bool useScales = !ctx.isNone("scale_factor") && !(!ctx.isNone("recompute_scale_factor") &&
                                                    ctx.getBool("recompute_scale_factor"));
  std::string scales, sizes;
  if (useScales) {
    // torch maps coordinates by 1 / scale_factor, as Resize does with `scales`.
    // One number scales every spatial dim.
    const Value& factor = ctx.attr("scale_factor");
    std::vector<double> given;
    if (factor.isList())
      for (const Value& v : factor.asList()) given.push_back(v.asNumber());
    else
      given.push_back(factor.asNumber());
    Tensor t = *Tensor::zeros(DType::Float32, {int64_t(in.rank())});
    for (size_t i = 0; i < in.rank(); ++i) {
      float s = i < 2 ? 1.0f : float(given[given.size() == 1 ? 0 : i - 2]);
      std::memcpy(t.mutableData() + i * sizeof(float), &s, sizeof(float));
    }
    scales = ctx.derived("scales", t);
  } else {
    std::vector<int64_t> target;
    for (size_t i = 2; i < out.rank(); ++i) {
      if (!out.dims[i].isKnown()) return ctx.fail("has an output size that is not known");
      target.push_back(out.dims[i].value());
    }
    std::string batchAndChannels =
        ctx.op("Slice", {ctx.op("Shape", {ctx.input(0)}), ctx.ints({0}), ctx.ints({2})});
    sizes = ctx.fresh("sizes");
    setInt(ctx.add("Concat", {batchAndChannels, ctx.ints(target)}, {sizes}), "axis", 0);
  }
  std::vector<std::string> inputs{ctx.input(0), "", scales};
  if (!sizes.empty()) inputs.push_back(sizes);
  onnx::NodeProto& n = ctx.add(row.foreign, inputs, {ctx.output(0)});
  setString(n, "mode", mode.mode);
  bool align = !ctx.isNone("align_corners") && ctx.getBool("align_corners");
  setString(n, "coordinate_transformation_mode", align ? "align_corners" : mode.coordinates);
  if (mode.nearestMode) setString(n, "nearest_mode", mode.nearestMode);
  if (std::string(mode.mode) == "cubic") setFloat(n, "cubic_coeff_a", -0.75);
}

}  // namespace sketch
