// Convolutions: Conv1d/2d/3d and ConvTranspose1d/2d/3d from one generator (like ONNX's
// FillUsing for Conv), since they differ only in spatial rank and in the direction of the
// size arithmetic.
#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/op_helpers.h"

namespace sketch {

namespace {

struct ConvSpec {
  const char* name;
  const char* doc;
  size_t rank;
  bool transposed;
};

std::vector<Window> convWindows(const ShapeContext& ctx, size_t rank) {
  std::vector<int64_t> k = ctx.getInts("kernel_size", rank), s = ctx.getInts("stride", rank),
                       d = ctx.getInts("dilation", rank);
  std::vector<int64_t> p(rank, 0);
  if (!ctx.attr("padding").isString()) p = ctx.getInts("padding", rank);
  return makeWindows(k, s, p, d);
}

bool checkWindowAttrs(ShapeContext& ctx, size_t rank) {
  bool ok = expectAtLeast(ctx, "kernel_size", ctx.getInts("kernel_size", rank), 1, "non-positive");
  ok = expectAtLeast(ctx, "stride", ctx.getInts("stride", rank), 1, "non-positive") && ok;
  ok = expectAtLeast(ctx, "dilation", ctx.getInts("dilation", rank), 1, "non-positive") && ok;
  if (!ctx.attr("padding").isString())
    ok = expectAtLeast(ctx, "padding", ctx.getInts("padding", rank), 0, "negative") && ok;
  return ok;
}

/// The channel attributes against the input and the groups.
bool checkChannels(ShapeContext& ctx, size_t rank) {
  const TensorType& in = ctx.input(0);
  if (!ctx.inferInt("in_channels", in.dims[channelDim(in, rank)], 0, "input channels"))
    return false;
  int64_t groups = ctx.getInt("groups");
  if (!expectAtLeast(ctx, "out_channels", {ctx.getInt("out_channels")}, 1, "non-positive") ||
      !expectAtLeast(ctx, "groups", {groups}, 1, "non-positive"))
    return false;
  bool ok = expectDivisible(ctx, "in_channels", ctx.getInt("in_channels"), "groups", groups);
  return expectDivisible(ctx, "out_channels", ctx.getInt("out_channels"), "groups", groups) && ok;
}

/// F.pad's 'reflect' needs padding below the input size, 'circular' at most the input size
/// (it wraps around once).
bool checkPaddingMode(ShapeContext& ctx, size_t first, const std::vector<Window>& windows) {
  const std::string& mode = ctx.getString("padding_mode");
  if (mode != "reflect" && mode != "circular") return true;
  for (size_t i = 0; i < windows.size(); ++i) {
    const Dim& in = ctx.input(0).dims[first + i];
    if (!in.isKnown() || windows[i].padding < in.value() + (mode == "circular")) continue;
    ctx.attrError("padding",
                  ctx.label() + " pads dim " + std::to_string(first + i) + " by " +
                      std::to_string(windows[i].padding) + " with padding_mode '" + mode +
                      "', more than the input allows: " + ctx.describeInput(0),
                  mode == "reflect" ? "use padding smaller than the input size"
                                    : "use padding at most the input size");
    return false;
  }
  return true;
}

/// Output spatial sizes of a forward convolution; padding may be 'valid' or 'same'.
bool convSpatial(ShapeContext& ctx, size_t first, const std::vector<Window>& windows,
                 std::vector<Dim>& dims) {
  const Value& padding = ctx.attr("padding");
  if (padding.isString() && padding.asString() == "same") {
    for (const Window& w : windows) {
      if (w.stride == 1) continue;
      ctx.attrError("padding",
                    ctx.label() + " cannot use padding='same' with stride " +
                        intsString(ctx.getInts("stride", windows.size())),
                    "use stride=1, or give the padding as numbers");
      return false;
    }
    return true;  // PyTorch pads so that each spatial size is kept
  }
  if (!checkPaddingMode(ctx, first, windows) || !expectWindowsFit(ctx, first, windows))
    return false;
  for (size_t i = 0; i < windows.size(); ++i)
    dims[first + i] = windowOutput(dims[first + i], windows[i]);
  return true;
}

/// Output spatial sizes of a transposed convolution:
/// (in - 1)*stride - 2*padding + dilation*(kernel - 1) + output_padding + 1.
bool transposedSpatial(ShapeContext& ctx, size_t first, const std::vector<Window>& windows,
                       std::vector<Dim>& dims) {
  std::vector<int64_t> extra = ctx.getInts("output_padding", windows.size());
  if (!expectAtLeast(ctx, "output_padding", extra, 0, "negative") ||
      !expectWindowsRepresentable(ctx, windows))
    return false;
  for (size_t i = 0; i < windows.size(); ++i) {
    const Window& w = windows[i];
    if (extra[i] >= w.stride && extra[i] >= w.dilation) {
      ctx.attrError("output_padding",
                    ctx.label() + " has output_padding " + intsString(extra) +
                        ", which must be smaller than either stride or dilation",
                    "use output_padding < stride");
      return false;
    }
    Dim out = dims[first + i] * w.stride + (w.span() + extra[i] - w.stride - 2 * w.padding);
    if (out.isKnown() && out.value() <= 0) {
      ctx.inputError(0,
                     ctx.label() + " computes an empty output (size " +
                         std::to_string(out.value()) + ") in dim " + std::to_string(first + i) +
                         ": " + ctx.describeInput(0),
                     "use less padding");
      return false;
    }
    dims[first + i] = out;
  }
  return true;
}

void inferConv(ShapeContext& ctx, const ConvSpec& spec) {
  if (!expectSpatialInput(ctx, spec.rank)) return;
  bool ok = checkChannels(ctx, spec.rank);
  if (!checkWindowAttrs(ctx, spec.rank) || !ok) return;
  std::vector<Dim> dims = ctx.input(0).dims;
  size_t channel = channelDim(ctx.input(0), spec.rank);
  std::vector<Window> windows = convWindows(ctx, spec.rank);
  bool fits = spec.transposed ? transposedSpatial(ctx, channel + 1, windows, dims)
                              : convSpatial(ctx, channel + 1, windows, dims);
  if (!fits) return;
  dims[channel] = Dim::known(ctx.getInt("out_channels"));
  ctx.setOutput(0, TensorType::of(ctx.input(0).dtype, std::move(dims)));
}

std::vector<ParamSpec> convParams(const Attrs& attrs, const ConvSpec& spec) {
  int64_t in = attrs.at("in_channels").asInt(), out = attrs.at("out_channels").asInt();
  int64_t groups = attrs.at("groups").asInt();
  std::vector<int64_t> kernel = intsOf(attrs, "kernel_size", spec.rank);
  // PyTorch stores transposed weights as [in, out/groups, k...]; fan_in reads dim 1 either way.
  std::vector<int64_t> shape{spec.transposed ? in : out,
                             spec.transposed ? out / groups : in / groups};
  for (int64_t k : kernel) shape.push_back(k);
  int64_t fanIn = saturatingProduct({shape[1], product(kernel)});
  std::vector<ParamSpec> params;
  appendWeightAndBias(params, std::move(shape), fanIn,
                      attrs.at("bias").asBool() ? std::optional<int64_t>(out) : std::nullopt);
  return params;
}

/// Forward: each output element sums in/groups * kernel products. Transposed: each input
/// element scatters into out/groups * kernel outputs.
int64_t convMacs(const Attrs& attrs, const std::vector<TensorType>& inputs,
                 const std::vector<TensorType>& outputs, const ConvSpec& spec) {
  int64_t kernel = product(intsOf(attrs, "kernel_size", spec.rank));
  int64_t groups = attrs.at("groups").asInt();
  if (spec.transposed)
    return saturatingProduct({elementsPerSample(inputs[0].dims),
                              attrs.at("out_channels").asInt() / groups, kernel});
  return saturatingProduct({elementsPerSample(outputs[0].dims),
                            attrs.at("in_channels").asInt() / groups, kernel});
}

/// padding='valid' is padding 0; padding='same' is the padding PyTorch computes for it,
/// dilation * (kernel - 1) in all, as numbers when both sides get the same (an odd total puts
/// the extra one on the right, which only 'same' says) and the stride is 1 (any other is an
/// error, which shape inference reports on 'same').
void canonicalPadding(Attrs& attrs, size_t rank) {
  Value& padding = attrs["padding"];
  if (!padding.isString()) return;
  if (padding.asString() == "valid") {
    padding = Value::ofInt(0);
    return;
  }
  for (const char* name : {"kernel_size", "dilation", "stride"})
    if (!attrs[name].isInt() && !attrs[name].isIntList()) return;
  if (padding.asString() != "same") return;
  std::vector<int64_t> k = intsOf(attrs, "kernel_size", rank), d = intsOf(attrs, "dilation", rank);
  std::vector<int64_t> s = intsOf(attrs, "stride", rank);
  if (k.size() != rank || d.size() != rank || s != std::vector<int64_t>(rank, 1)) return;
  std::vector<int64_t> sides;
  for (size_t i = 0; i < rank; ++i) {
    int64_t total = 0;
    if (__builtin_mul_overflow(d[i], k[i] - 1, &total) || total % 2 != 0) return;
    sides.push_back(total / 2);
  }
  padding = Value::ofInts(sides);
}

OpDef convOp(const ConvSpec& spec) {
  int rank = static_cast<int>(spec.rank);
  OpDef op(spec.name, spec.doc);
  op.category("convolution")
      .family(spec.transposed ? "ConvTranspose" : "Conv", rank)
      .impliedInput(impliesSpatialInput("in_channels", spec.rank))
      .inferred("in_channels", AttrType::Int, "channels of the input (dim C)")
      .required("out_channels", AttrType::Int, "channels of the output")
      .attr(kernelSizeAttr(rank))
      .attr(intNAttr("stride", rank, Value::ofInt(1), "step of the window"));
  AttrDef padding = intNAttr("padding", rank, Value::ofInt(0), "zeros added on both sides");
  if (!spec.transposed) padding.choices = {"valid", "same"};
  op.attr(padding);
  if (spec.transposed)
    op.attr(
        intNAttr("output_padding", rank, Value::ofInt(0), "size added on one side of the output"));
  else
    op.attr(intNAttr("dilation", rank, Value::ofInt(1), "spacing between kernel elements"));
  op.optional("groups", AttrType::Int, Value::ofInt(1), "blocked connections from input to output")
      .optional("bias", AttrType::Bool, Value::ofBool(true), "add a learned bias");
  if (spec.transposed)
    op.attr(intNAttr("dilation", rank, Value::ofInt(1), "spacing between kernel elements"));
  std::vector<std::string> modes{"zeros"};
  if (!spec.transposed) modes = {"zeros", "reflect", "replicate", "circular"};
  op.attr(choiceAttr("padding_mode", Value::ofString("zeros"), modes, "how padding is filled"));
  if (!spec.transposed)
    op.canonical([rank = spec.rank](Attrs& attrs) { canonicalPadding(attrs, rank); });
  return op.input("input")
      .output("output")
      .shape(floatingInputs([spec](ShapeContext& ctx) { inferConv(ctx, spec); }))
      .params([spec](const Attrs& attrs) { return convParams(attrs, spec); })
      .macs([spec](const Attrs& attrs, const std::vector<TensorType>& in,
                   const std::vector<TensorType>& out) { return convMacs(attrs, in, out, spec); });
}

const ConvSpec kConvs[] = {
    {"Conv1d", "1-D convolution over an [N, C, L] input", 1, false},
    {"Conv2d", "2-D convolution over an [N, C, H, W] input", 2, false},
    {"Conv3d", "3-D convolution over an [N, C, D, H, W] input", 3, false},
    {"ConvTranspose1d", "1-D transposed convolution over an [N, C, L] input", 1, true},
    {"ConvTranspose2d", "2-D transposed convolution over an [N, C, H, W] input", 2, true},
    {"ConvTranspose3d", "3-D transposed convolution over an [N, C, D, H, W] input", 3, true},
};

}  // namespace

void registerConvOps(OpCatalogue& catalogue) {
  for (const ConvSpec& spec : kConvs) catalogue.add(convOp(spec));
}

}  // namespace sketch
