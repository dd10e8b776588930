// Normalisation layers: BatchNorm and InstanceNorm (one generator, as both derive from
// PyTorch's _NormBase), LayerNorm, GroupNorm, LocalResponseNorm.
#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/op_helpers.h"

namespace sketch {

namespace {

struct NormSpec {
  const char* name;
  const char* doc;
  size_t spatialRank;
  bool instance;  // InstanceNorm: unbatched inputs allowed; affine and stats off by default
};

/// BatchNorm1d takes [N, C] or [N, C, L]; the others take [N, C, *spatial], and InstanceNorm
/// also the unbatched [C, *spatial].
bool expectNormInput(ShapeContext& ctx, const NormSpec& spec) {
  size_t batched = spec.spatialRank + 2;
  if (spec.instance || spec.spatialRank == 1) return ctx.expectRank(0, {batched - 1, batched});
  return ctx.expectRank(0, {batched});
}

void inferNorm(ShapeContext& ctx, const NormSpec& spec) {
  if (!expectNormInput(ctx, spec)) return;
  const TensorType& in = ctx.input(0);
  size_t channel = spec.instance ? channelDim(in, spec.spatialRank) : 1;
  // Without affine weights or running stats PyTorch never reads num_features (InstanceNorm
  // only warns on a mismatch), so a given value is not checked.
  bool used = ctx.getBool("affine") || ctx.getBool("track_running_stats");
  if ((used || ctx.isNone("num_features")) &&
      !ctx.inferInt("num_features", in.dims[channel], 0, "channels"))
    return;
  sameShape(ctx);
}

std::vector<ParamSpec> normParams(const Attrs& attrs) {
  int64_t features = attrs.at("num_features").asInt();
  std::vector<ParamSpec> params;
  if (attrs.at("affine").asBool()) appendAffine(params, {features});
  if (attrs.at("track_running_stats").asBool()) appendRunningStats(params, features);
  return params;
}

OpDef normOp(const NormSpec& spec) {
  // BatchNorm1d's first-layer input is [N, C]; it also takes [N, C, L].
  ImpliedInputFn implied = spec.spatialRank == 1 && !spec.instance
                               ? impliesFeatureInput("num_features")
                               : impliesSpatialInput("num_features", spec.spatialRank);
  return OpDef(spec.name, spec.doc)
      .category("normalization")
      .family(spec.instance ? "InstanceNorm" : "BatchNorm", int(spec.spatialRank))
      .impliedInput(implied)
      .inferred("num_features", AttrType::Int, "channels of the input (dim C)")
      .optional("eps", AttrType::Float, Value::ofFloat(1e-5), "added to the variance")
      .attr(nullableAttr("momentum", AttrType::Float, Value::ofFloat(0.1),
                         "running-stat update factor; none for a cumulative average"))
      .optional("affine", AttrType::Bool, Value::ofBool(!spec.instance), "learn weight and bias")
      .optional("track_running_stats", AttrType::Bool, Value::ofBool(!spec.instance),
                "keep running mean and variance")
      .input("input")
      .output("output")
      .shape(floatingInputs([spec](ShapeContext& ctx) { inferNorm(ctx, spec); }))
      .params(normParams)
      .macs(noMacs);
}

const NormSpec kNorms[] = {
    {"BatchNorm1d", "batch normalisation over an [N, C] or [N, C, L] input", 1, false},
    {"BatchNorm2d", "batch normalisation over an [N, C, H, W] input", 2, false},
    {"BatchNorm3d", "batch normalisation over an [N, C, D, H, W] input", 3, false},
    {"InstanceNorm1d", "instance normalisation over an [N, C, L] input", 1, true},
    {"InstanceNorm2d", "instance normalisation over an [N, C, H, W] input", 2, true},
    {"InstanceNorm3d", "instance normalisation over an [N, C, D, H, W] input", 3, true},
};

/// normalized_shape defaults to the last dim; when given it must equal the trailing dims.
void inferLayerNorm(ShapeContext& ctx) {
  const TensorType& in = ctx.input(0);
  if (ctx.isNone("normalized_shape")) {
    if (!ctx.expectMinRank(0, 1)) return;
    if (!in.dims.back().isKnown()) {
      ctx.inputError(0,
                     ctx.label() + " cannot infer 'normalized_shape' from a symbolic size: " +
                         ctx.describeInput(0),
                     "give normalized_shape explicitly");
      return;
    }
    ctx.setAttr("normalized_shape", Value::ofInts({in.dims.back().value()}));
  }
  std::vector<int64_t> shape = ctx.getInts("normalized_shape");
  bool fits = in.rank() >= shape.size();
  for (size_t i = 0; fits && i < shape.size(); ++i) {
    const Dim& d = in.dims[in.rank() - shape.size() + i];
    fits = !d.isKnown() || d.value() == shape[i];
  }
  if (!fits) {
    ctx.inputError(0,
                   ctx.label() + " expects trailing dims " + intsString(shape) + ", but " +
                       ctx.describeInput(0),
                   "set normalized_shape to the input's trailing dims, or leave it out to infer "
                   "the last one");
    return;
  }
  sameShape(ctx);
}

std::vector<ParamSpec> layerNormParams(const Attrs& attrs) {
  std::vector<ParamSpec> params;
  if (attrs.at("elementwise_affine").asBool())
    appendAffine(params, intsOf(attrs, "normalized_shape", 1));
  return params;
}

void inferGroupNorm(ShapeContext& ctx) {
  if (!ctx.expectMinRank(0, 2)) return;
  if (!ctx.inferInt("num_channels", ctx.input(0).dims[1], 0, "channels")) return;
  int64_t groups = ctx.getInt("num_groups");
  if (!expectAtLeast(ctx, "num_groups", {groups}, 1, "non-positive")) return;
  if (!expectDivisible(ctx, "num_channels", ctx.getInt("num_channels"), "num_groups", groups))
    return;
  sameShape(ctx);
}

std::vector<ParamSpec> groupNormParams(const Attrs& attrs) {
  std::vector<ParamSpec> params;
  if (attrs.at("affine").asBool()) appendAffine(params, {attrs.at("num_channels").asInt()});
  return params;
}

void inferLocalResponseNorm(ShapeContext& ctx) {
  if (!expectAtLeast(ctx, "size", {ctx.getInt("size")}, 1, "non-positive")) return;
  if (ctx.expectMinRank(0, 3)) sameShape(ctx);
}

}  // namespace

void registerNormOps(OpCatalogue& catalogue) {
  for (const NormSpec& spec : kNorms) catalogue.add(normOp(spec));
  catalogue.add(OpDef("LayerNorm", "normalisation over the trailing dims of each sample")
                    .category("normalization")
                    .inferred("normalized_shape", AttrType::Ints, "trailing dims to normalise")
                    .optional("eps", AttrType::Float, Value::ofFloat(1e-5), "added to the variance")
                    .optional("elementwise_affine", AttrType::Bool, Value::ofBool(true),
                              "learn weight and bias")
                    .input("input")
                    .output("output")
                    .shape(floatingInputs(inferLayerNorm))
                    .params(layerNormParams)
                    .macs(noMacs));
  catalogue.add(
      OpDef("GroupNorm", "normalisation over groups of channels")
          .category("normalization")
          .required("num_groups", AttrType::Int, "groups the channels are split into")
          .inferred("num_channels", AttrType::Int, "channels of the input (dim C)")
          .optional("eps", AttrType::Float, Value::ofFloat(1e-5), "added to the variance")
          .optional("affine", AttrType::Bool, Value::ofBool(true), "learn weight and bias")
          .input("input")
          .output("output")
          .shape(floatingInputs(inferGroupNorm))
          .params(groupNormParams)
          .macs(noMacs));
  catalogue.add(OpDef("LocalResponseNorm", "normalisation across neighbouring channels")
                    .category("normalization")
                    .required("size", AttrType::Int, "neighbouring channels used")
                    .optional("alpha", AttrType::Float, Value::ofFloat(1e-4), "scale")
                    .optional("beta", AttrType::Float, Value::ofFloat(0.75), "exponent")
                    .optional("k", AttrType::Float, Value::ofFloat(1.0), "additive factor")
                    .input("input")
                    .output("output")
                    .shape(inferLocalResponseNorm)
                    .macs(noMacs));
}

}  // namespace sketch
