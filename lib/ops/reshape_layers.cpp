// Layers that rearrange or resize without weights: Flatten, Unflatten, Upsample,
// PixelShuffle and the constant paddings (ZeroPad2d, ConstantPad1d/2d/3d).
#include <algorithm>
#include <cmath>

#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/op_helpers.h"

namespace sketch {

namespace {

/// torch.flatten: a 0-D input becomes [1]; dims start..end collapse into their product.
void inferFlatten(ShapeContext& ctx) {
  std::vector<Dim> dims = ctx.input(0).dims;
  if (dims.empty()) dims.push_back(Dim::known(1));
  std::optional<size_t> start = resolveDimAttr(ctx, "start_dim", dims.size());
  std::optional<size_t> end = resolveDimAttr(ctx, "end_dim", dims.size());
  if (!start || !end) return;
  if (*start > *end) {
    ctx.attrError("start_dim", ctx.label() + " has start_dim after end_dim",
                  "use start_dim <= end_dim");
    return;
  }
  Dim merged = Dim::known(1);
  for (size_t i = *start; i <= *end; ++i) merged = merged * dims[i];
  dims.erase(dims.begin() + *start, dims.begin() + *end + 1);
  dims.insert(dims.begin() + *start, merged);
  ctx.setOutput(0, TensorType::of(ctx.input(0).dtype, std::move(dims)));
}

/// The sizes replacing `original`; one -1 takes what is left. Empty after reporting.
std::vector<Dim> unflattenSizes(ShapeContext& ctx, const Dim& original) {
  std::vector<int64_t> sizes = ctx.getInts("unflattened_size");
  auto wildcard = std::find(sizes.begin(), sizes.end(), -1);
  bool valid = !sizes.empty() && std::count(sizes.begin(), sizes.end(), -1) <= 1 &&
               std::all_of(sizes.begin(), sizes.end(), [](int64_t s) { return s >= -1; });
  if (!valid) {
    ctx.attrError("unflattened_size", ctx.label() + " has unflattened_size " + intsString(sizes) +
                                          ", but it needs sizes >= 0 and at most one -1");
    return {};
  }
  int64_t known = 1;
  for (int64_t s : sizes)
    if (s != -1 && __builtin_mul_overflow(known, s, &known)) {
      ctx.attrError("unflattened_size", ctx.label() + " has unflattened_size " + intsString(sizes) +
                                            ", whose size overflows a 64-bit integer");
      return {};
    }
  // With a -1 the others must divide the size; PyTorch refuses a -1 beside a 0 as ambiguous.
  bool matches = wildcard != sizes.end()
                     ? known != 0 && (!original.isKnown() || original.value() % known == 0)
                     : !original.isKnown() || original.value() == known;
  if (!matches) {
    ctx.attrError("unflattened_size", ctx.label() + " cannot split a dim of size " +
                                          original.toString() + " into " + intsString(sizes) +
                                          ": " + ctx.describeInput(0));
    return {};
  }
  std::vector<Dim> out;
  for (int64_t s : sizes) out.push_back(s == -1 ? original.floorDiv(known) : Dim::known(s));
  return out;
}

void inferUnflatten(ShapeContext& ctx) {
  if (!ctx.attr("unflattened_size").isList()) {
    ctx.attrError("unflattened_size",
                  "'unflattened_size' of Unflatten expects a tuple of ints, found " +
                      describeValue(ctx.attr("unflattened_size")));
    return;
  }
  // torch.unflatten has no dim to split in a 0-d tensor.
  if (!ctx.expectMinRank(0, 1)) return;
  std::vector<Dim> dims = ctx.input(0).dims;
  std::optional<size_t> dim = resolveDimAttr(ctx, "dim", dims.size());
  if (!dim) return;
  std::vector<Dim> sizes = unflattenSizes(ctx, dims[*dim]);
  if (sizes.empty()) return;
  dims.erase(dims.begin() + *dim);
  dims.insert(dims.begin() + *dim, sizes.begin(), sizes.end());
  ctx.setOutput(0, TensorType::of(ctx.input(0).dtype, std::move(dims)));
}

void inferPixelShuffle(ShapeContext& ctx) {
  if (!ctx.expectMinRank(0, 3)) return;
  int64_t r = ctx.getInt("upscale_factor");
  if (!expectAtLeast(ctx, "upscale_factor", {r}, 1, "non-positive")) return;
  int64_t square = 0;
  if (__builtin_mul_overflow(r, r, &square)) {
    return ctx.attrError("upscale_factor", ctx.label() + " has upscale_factor " +
                                               std::to_string(r) +
                                               ", whose square overflows a 64-bit integer");
  }
  std::vector<Dim> dims = ctx.input(0).dims;
  size_t c = dims.size() - 3;
  if (dims[c].isKnown() && dims[c].value() % square != 0) {
    ctx.inputError(0, ctx.label() + " needs channels divisible by upscale_factor^2 = " +
                          std::to_string(square) + ", but " + ctx.describeInput(0));
    return;
  }
  dims[c] = dims[c].floorDiv(square);
  dims[c + 1] = dims[c + 1] * r;
  dims[c + 2] = dims[c + 2] * r;
  ctx.setOutput(0, TensorType::of(ctx.input(0).dtype, std::move(dims)));
}

/// F.pad's order: (left, right) of the last dim first, then the dims before it.
void inferConstantPad(ShapeContext& ctx, size_t paddedDims) {
  if (!ctx.expectMinRank(0, paddedDims)) return;
  std::vector<int64_t> pad = ctx.getInts("padding", 2 * paddedDims);
  std::vector<Dim> dims = ctx.input(0).dims;
  for (size_t i = 0; i < paddedDims; ++i) {
    size_t d = dims.size() - 1 - i;
    dims[d] = dims[d] + pad[2 * i] + pad[2 * i + 1];  // an overflow makes it invalid
    if (!dims[d].isKnown() || dims[d].value() >= 0) continue;
    ctx.inputError(0, ctx.label() + " has padding " + intsString(pad) +
                          " that leaves a negative size in dim " + std::to_string(d) + ": " +
                          ctx.describeInput(0));
    return;
  }
  ctx.setOutput(0, TensorType::of(ctx.input(0).dtype, std::move(dims)));
}

OpDef padOp(const std::string& name, const std::string& doc, size_t paddedDims, bool hasValue) {
  int rank = static_cast<int>(2 * paddedDims);
  AttrDef padding =
      intNAttr("padding", rank, Value(), "(left, right, top, bottom, ...); may be negative");
  padding.optional = false;
  padding.required = true;
  OpDef op(name, doc);
  op.category("reshape").attr(padding);
  if (hasValue) op.family("ConstantPad", int(paddedDims));
  if (hasValue) op.required("value", AttrType::Float, "the fill value");
  return op.input("input")
      .output("output")
      .shape([paddedDims](ShapeContext& ctx) { inferConstantPad(ctx, paddedDims); })
      .macs(noMacs);
}

struct UpsampleMode {
  const char* name;
  size_t inputRank;    // 0: any of 3-5
  bool interpolating;  // accepts align_corners
};

// F.interpolate's modes and the input rank each needs.
const UpsampleMode kUpsampleModes[] = {
    {"nearest", 0, false},  {"linear", 3, true}, {"bilinear", 4, true},       {"bicubic", 4, true},
    {"trilinear", 5, true}, {"area", 0, false},  {"nearest-exact", 0, false},
};

const UpsampleMode& upsampleMode(const std::string& name) {
  for (const UpsampleMode& m : kUpsampleModes)
    if (name == m.name) return m;
  return kUpsampleModes[0];  // the binder has already checked the choice
}

/// Reports unless exactly one of size and scale_factor is given, with one entry per spatial
/// dim (or a single one for all), and the mode suits the input rank.
bool checkUpsample(ShapeContext& ctx, size_t spatial) {
  if (ctx.isNone("size") == ctx.isNone("scale_factor")) {
    ctx.error(ctx.label() + (ctx.isNone("size") ? " needs size or scale_factor"
                                                : " takes only one of size and scale_factor"));
    return false;
  }
  const char* attr = ctx.isNone("size") ? "scale_factor" : "size";
  const Value& v = ctx.attr(attr);
  if (v.isList() && v.asList().size() != spatial) {
    ctx.attrError(attr, ctx.label() + " has " + attr + " " + v.toString() + " for " +
                            std::to_string(spatial) + " spatial dims: " + ctx.describeInput(0));
    return false;
  }
  const UpsampleMode& mode = upsampleMode(ctx.getString("mode"));
  if (mode.inputRank && mode.inputRank != spatial + 2) {
    ctx.inputError(0, ctx.label() + " with mode '" + mode.name + "' needs a " +
                          std::to_string(mode.inputRank) + "-D input, but " + ctx.describeInput(0));
    return false;
  }
  if (!mode.interpolating && !ctx.isNone("align_corners")) {
    ctx.attrError("align_corners",
                  ctx.label() + " cannot use align_corners with mode '" + mode.name + "'",
                  "leave align_corners out, or use linear, bilinear, bicubic or trilinear");
    return false;
  }
  return true;
}

/// floor(in * scale) as ATen computes it; a symbolic size with a fractional scale becomes an
/// opaque symbol.
Dim scaleDim(const Dim& in, double scale) {
  if (in.isKnown()) return Dim::known(static_cast<int64_t>(std::floor(in.value() * scale)));
  if (scale == std::floor(scale)) return in * static_cast<int64_t>(scale);
  return Dim::symbol("floor(" + in.asOperand() + "*" + Value::ofFloat(scale).toString() + ")");
}

void inferUpsample(ShapeContext& ctx) {
  if (!ctx.expectRank(0, {3, 4, 5})) return;
  std::vector<Dim> dims = ctx.input(0).dims;
  size_t spatial = dims.size() - 2;
  if (!checkUpsample(ctx, spatial)) return;
  if (!ctx.isNone("size")) {
    std::vector<int64_t> size = ctx.getInts("size", spatial);
    if (!expectAtLeast(ctx, "size", size, 1, "non-positive")) return;
    for (size_t i = 0; i < spatial; ++i) dims[2 + i] = Dim::known(size[size.size() == 1 ? 0 : i]);
  } else {
    std::vector<double> scale = ctx.getFloats("scale_factor");
    for (size_t i = 0; i < spatial; ++i)
      dims[2 + i] = scaleDim(dims[2 + i], scale[scale.size() == 1 ? 0 : i]);
  }
  for (size_t i = 2; i < dims.size(); ++i) {
    if (!dims[i].isKnown() || dims[i].value() > 0) continue;
    ctx.attrError("scale_factor",
                  ctx.label() + " computes an empty output (size " + dims[i].toString() +
                      ") in dim " + std::to_string(i) + ": " + ctx.describeInput(0),
                  "use a larger scale_factor");
    return;
  }
  ctx.setOutput(0, TensorType::of(ctx.input(0).dtype, std::move(dims)));
}

OpDef upsampleOp() {
  std::vector<std::string> modes;
  for (const UpsampleMode& m : kUpsampleModes) modes.push_back(m.name);
  return OpDef("Upsample", "resizes the spatial dims of [N, C, *spatial] by size or scale_factor")
      .category("reshape")
      .optional("size", AttrType::Ints, Value(), "output spatial size")
      .optional("scale_factor", AttrType::Floats, Value(), "multiplier of the spatial size")
      .attr(choiceAttr("mode", Value::ofString("nearest"), modes, "interpolation"))
      .optional("align_corners", AttrType::Bool, Value(), "align corner pixels (linear modes)")
      .optional("recompute_scale_factor", AttrType::Bool, Value(),
                "recompute the scale from the output size")
      .input("input")
      .output("output")
      .shape(inferUpsample)
      .macs(noMacs);
}

}  // namespace

void registerReshapeLayerOps(OpCatalogue& catalogue) {
  catalogue.add(OpDef("Flatten", "collapses dims start_dim..end_dim into one")
                    .category("reshape")
                    .optional("start_dim", AttrType::Int, Value::ofInt(1), "first dim to flatten")
                    .optional("end_dim", AttrType::Int, Value::ofInt(-1), "last dim to flatten")
                    .input("input")
                    .output("output")
                    .shape(inferFlatten)
                    .macs(noMacs));
  catalogue.add(OpDef("Unflatten", "splits dim into unflattened_size (one entry may be -1)")
                    .category("reshape")
                    .required("dim", AttrType::Int, "dim to split")
                    .required("unflattened_size", AttrType::Ints, "sizes it splits into")
                    .input("input")
                    .output("output")
                    .shape(inferUnflatten)
                    .macs(noMacs));
  catalogue.add(OpDef("PixelShuffle", "rearranges [*, C*r*r, H, W] into [*, C, H*r, W*r]")
                    .category("reshape")
                    .required("upscale_factor", AttrType::Int, "r")
                    .input("input")
                    .output("output")
                    .shape(inferPixelShuffle)
                    .macs(noMacs));
  catalogue.add(padOp("ZeroPad2d", "pads the last 2 dims with zeros", 2, false));
  catalogue.add(padOp("ConstantPad1d", "pads the last dim with a constant", 1, true));
  catalogue.add(padOp("ConstantPad2d", "pads the last 2 dims with a constant", 2, true));
  catalogue.add(padOp("ConstantPad3d", "pads the last 3 dims with a constant", 3, true));
  catalogue.add(upsampleOp());
}

}  // namespace sketch
