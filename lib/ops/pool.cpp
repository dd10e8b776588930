// Pooling: MaxPool and AvgPool of rank 1-3 from one generator, adaptive pools from another.
// Size rules follow ATen's pooling_output_shape and pool2d_shape_check.
#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/op_helpers.h"

namespace sketch {

namespace {

struct PoolSpec {
  const char* name;
  const char* doc;
  size_t rank;
  bool max;  // MaxPool: dilation and return_indices; AvgPool: count_include_pad, divisor
};

/// With ceil_mode the last window must still start inside the input or its left padding.
/// For a symbolic size whose residue modulo the stride is unknown that cannot be decided, and
/// the size becomes an opaque symbol naming the rule.
Dim ceilPoolOutput(const Dim& in, const Window& w) {
  Dim numerator = in + (2 * w.padding - w.span());
  Dim out = numerator.ceilDiv(w.stride) + 1;
  if (in.isKnown() && out.isKnown()) {
    int64_t lastStart = 0, end = 0;
    if (__builtin_add_overflow(in.value(), w.padding, &end)) end = INT64_MAX;
    bool past = __builtin_mul_overflow(out.value() - 1, w.stride, &lastStart) || lastStart >= end;
    return past ? out - 1 : out;
  }
  if (in.isKnown()) return out;  // invalid: the overflow is reported
  // (out - 1) * stride = numerator + r with r = (-numerator) mod stride; the last window
  // starts past the input exactly when r >= span - padding.
  int64_t needed = w.span() - w.padding;
  if (needed > w.stride - 1) return out;
  if (numerator.scale() % w.stride != 0)
    return Dim::symbol("ceil_pool(" + in.toString() + ", k=" + std::to_string(w.kernel) +
                       ", s=" + std::to_string(w.stride) + ", p=" + std::to_string(w.padding) +
                       ", d=" + std::to_string(w.dilation) + ")");
  int64_t r = ((-numerator.offset()) % w.stride + w.stride) % w.stride;
  return r >= needed ? out - 1 : out;
}

/// The pooled output, plus int64 argmax indices of the same shape with return_indices.
/// Without it the module returns a single tensor, so the 'indices' output does not exist.
void setPoolOutputs(ShapeContext& ctx, std::vector<Dim> dims, bool withIndices) {
  ctx.setOutput(0, TensorType::of(ctx.input(0).dtype, dims));
  if (withIndices)
    ctx.setOutput(1, TensorType::of(DType::Int64, std::move(dims)));
  else
    ctx.setOutputCount(1);
}

std::vector<Window> poolWindows(const ShapeContext& ctx, const PoolSpec& spec) {
  std::vector<int64_t> k = ctx.getInts("kernel_size", spec.rank);
  std::vector<int64_t> s = ctx.isNone("stride") ? k : ctx.getInts("stride", spec.rank);
  std::vector<int64_t> p = ctx.getInts("padding", spec.rank);
  std::vector<int64_t> d(spec.rank, 1);
  if (spec.max) d = ctx.getInts("dilation", spec.rank);
  return makeWindows(k, s, p, d);
}

bool checkPoolAttrs(ShapeContext& ctx, const PoolSpec& spec) {
  std::vector<int64_t> k = ctx.getInts("kernel_size", spec.rank);
  bool ok = expectAtLeast(ctx, "kernel_size", k, 1, "non-positive");
  if (!ctx.isNone("stride"))
    ok = expectAtLeast(ctx, "stride", ctx.getInts("stride", spec.rank), 1, "non-positive") && ok;
  if (spec.max)
    ok =
        expectAtLeast(ctx, "dilation", ctx.getInts("dilation", spec.rank), 1, "non-positive") && ok;
  if (!spec.max && !ctx.isNone("divisor_override") && ctx.getInt("divisor_override") == 0) {
    ctx.attrError("divisor_override", ctx.label() + " has divisor_override 0");
    ok = false;
  }
  std::vector<int64_t> p = ctx.getInts("padding", spec.rank);
  if (!expectAtLeast(ctx, "padding", p, 0, "negative")) return false;
  for (size_t i = 0; ok && i < spec.rank; ++i) {
    if (p[i] <= k[i] / 2) continue;
    ctx.attrError("padding",
                  ctx.label() + " has padding " + intsString(p) +
                      ", more than half of kernel_size " + intsString(k),
                  "use padding <= kernel_size / 2");
    return false;
  }
  return ok;
}

void inferPool(ShapeContext& ctx, const PoolSpec& spec) {
  if (!expectSpatialInput(ctx, spec.rank) || !checkPoolAttrs(ctx, spec)) return;
  std::vector<Window> windows = poolWindows(ctx, spec);
  size_t first = channelDim(ctx.input(0), spec.rank) + 1;
  if (!expectWindowsFit(ctx, first, windows)) return;
  std::vector<Dim> dims = ctx.input(0).dims;
  bool ceil = ctx.getBool("ceil_mode");
  for (size_t i = 0; i < spec.rank; ++i) {
    Dim& d = dims[first + i];
    d = ceil ? ceilPoolOutput(d, windows[i]) : windowOutput(d, windows[i]);
  }
  for (size_t i = 0; i < spec.rank; ++i) {
    const Dim& d = dims[first + i];
    if (!d.isKnown() || d.value() > 0) continue;
    ctx.inputError(0,
                   ctx.label() + " computes an empty output in dim " + std::to_string(first + i) +
                       ": " + ctx.describeInput(0),
                   "use a smaller kernel_size or stride");
    return;
  }
  setPoolOutputs(ctx, std::move(dims), spec.max && ctx.getBool("return_indices"));
}

/// torch.nn's pools: a stride of none is the kernel size (self.stride = kernel_size).
void canonicalStride(Attrs& attrs) {
  if (attrs["stride"].isNone()) attrs["stride"] = attrs["kernel_size"];
}

OpDef poolOp(const PoolSpec& spec) {
  int rank = static_cast<int>(spec.rank);
  OpDef op(spec.name, spec.doc);
  op.category("pooling")
      .family(spec.max ? "MaxPool" : "AvgPool", rank)
      .attr(kernelSizeAttr(rank))
      .attr(intNAttr("stride", rank, Value(), "step of the window; none means kernel_size"))
      .attr(intNAttr("padding", rank, Value::ofInt(0), "implicit padding on both sides"));
  if (spec.max) {
    op.attr(intNAttr("dilation", rank, Value::ofInt(1), "spacing between window elements"))
        .optional("return_indices", AttrType::Bool, Value::ofBool(false),
                  "also output the argmax indices (output 'indices')");
  }
  op.optional("ceil_mode", AttrType::Bool, Value::ofBool(false), "round output sizes up");
  if (!spec.max) {
    op.optional("count_include_pad", AttrType::Bool, Value::ofBool(true),
                "count padding in the average");
    // torch.nn.AvgPool1d has no divisor_override.
    if (spec.rank > 1)
      op.optional("divisor_override", AttrType::Int, Value(), "divide by this instead");
  }
  op.input("input").output("output").canonical(canonicalStride);
  if (spec.max) op.output("indices");
  // torch has integer average pools, but max pools only for floating types.
  ShapeFn shape = [spec](ShapeContext& ctx) { inferPool(ctx, spec); };
  return op.shape(spec.max ? floatingInputs(std::move(shape)) : std::move(shape)).macs(noMacs);
}

const PoolSpec kPools[] = {
    {"MaxPool1d", "maximum over sliding windows of an [N, C, L] input", 1, true},
    {"MaxPool2d", "maximum over sliding windows of an [N, C, H, W] input", 2, true},
    {"MaxPool3d", "maximum over sliding windows of an [N, C, D, H, W] input", 3, true},
    {"AvgPool1d", "average over sliding windows of an [N, C, L] input", 1, false},
    {"AvgPool2d", "average over sliding windows of an [N, C, H, W] input", 2, false},
    {"AvgPool3d", "average over sliding windows of an [N, C, D, H, W] input", 3, false},
};

/// output_size is an int or a tuple of `rank` entries, each an int or none (keep that size).
bool readOutputSize(ShapeContext& ctx, size_t rank, std::vector<Value>& sizes) {
  const Value& v = ctx.attr("output_size");
  sizes = v.isList() ? v.asList() : std::vector<Value>(rank, v);
  bool ok = sizes.size() == rank;
  for (const Value& s : sizes) ok = ok && (s.isNone() || (s.isInt() && s.asInt() >= 0));
  if (ok) return true;
  std::string expected =
      rank == 1 ? "an int" : "an int or tuple of " + std::to_string(rank) + " ints or nones";
  ctx.attrError("output_size", "'output_size' of " + ctx.op().name() + " expects " + expected +
                                   ", found " + describeValue(v));
  return false;
}

void inferAdaptivePool(ShapeContext& ctx, size_t rank, bool max) {
  std::vector<Value> sizes;
  if (!expectSpatialInput(ctx, rank) || !readOutputSize(ctx, rank, sizes)) return;
  std::vector<Dim> dims = ctx.input(0).dims;
  size_t first = channelDim(ctx.input(0), rank) + 1;
  for (size_t i = 0; i < rank; ++i)
    if (!sizes[i].isNone()) dims[first + i] = Dim::known(sizes[i].asInt());
  setPoolOutputs(ctx, std::move(dims), max && ctx.getBool("return_indices"));
}

OpDef adaptivePoolOp(const std::string& name, const std::string& doc, size_t rank, bool max) {
  OpDef op(name, doc);
  op.category("pooling")
      .family(max ? "AdaptiveMaxPool" : "AdaptiveAvgPool", int(rank))
      .required("output_size", AttrType::Any,
                                  "output spatial size; none keeps the input's");
  if (max)
    op.optional("return_indices", AttrType::Bool, Value::ofBool(false),
                "also output the argmax indices (output 'indices')");
  op.input("input").output("output");
  if (max) op.output("indices");
  return op.shape(floatingInputs([rank, max](ShapeContext& ctx) { inferAdaptivePool(ctx, rank, max); }))
      .macs(noMacs);
}

}  // namespace

void registerPoolOps(OpCatalogue& catalogue) {
  for (const PoolSpec& spec : kPools) catalogue.add(poolOp(spec));
  for (size_t rank = 1; rank <= 3; ++rank) {
    std::string suffix = std::to_string(rank) + "d";
    catalogue.add(adaptivePoolOp("AdaptiveAvgPool" + suffix,
                                 "average pooling to a fixed output size", rank, false));
    catalogue.add(adaptivePoolOp("AdaptiveMaxPool" + suffix,
                                 "maximum pooling to a fixed output size", rank, true));
  }
}

}  // namespace sketch
