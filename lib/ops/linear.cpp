// Linear and Bilinear: affine maps over the last dim, any leading dims kept.
#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/op_helpers.h"

namespace sketch {

namespace {

void inferLinear(ShapeContext& ctx) {
  if (!ctx.expectMinRank(0, 1)) return;
  std::vector<Dim> dims = ctx.input(0).dims;
  if (!ctx.inferInt("in_features", dims.back(), 0, "input features") ||
      !expectAtLeast(ctx, "out_features", {ctx.getInt("out_features")}, 0, "negative"))
    return;
  dims.back() = Dim::known(ctx.getInt("out_features"));
  ctx.setOutput(0, TensorType::of(ctx.input(0).dtype, std::move(dims)));
}

/// out_features when the layer has a bias.
std::optional<int64_t> biasSize(const Attrs& attrs) {
  if (!attrs.at("bias").asBool()) return std::nullopt;
  return attrs.at("out_features").asInt();
}

std::vector<ParamSpec> linearParams(const Attrs& attrs) {
  int64_t in = attrs.at("in_features").asInt(), out = attrs.at("out_features").asInt();
  std::vector<ParamSpec> params;
  appendWeightAndBias(params, {out, in}, in, biasSize(attrs));
  return params;
}

int64_t linearMacs(const Attrs& attrs, const std::vector<TensorType>&,
                   const std::vector<TensorType>& outputs) {
  return saturatingProduct({elementsPerSample(outputs[0].dims), attrs.at("in_features").asInt()});
}

/// Both inputs are [*, features]; the leading dims must agree (F.bilinear does not broadcast).
void inferBilinear(ShapeContext& ctx) {
  if (!ctx.expectMinRank(0, 1) || !ctx.expectMinRank(1, 1)) return;
  const TensorType& a = ctx.input(0);
  const TensorType& b = ctx.input(1);
  bool ok = ctx.inferInt("in1_features", a.dims.back(), 0, "input1 features");
  ok = ctx.inferInt("in2_features", b.dims.back(), 1, "input2 features") && ok;
  if (!ok || !expectAtLeast(ctx, "out_features", {ctx.getInt("out_features")}, 0, "negative"))
    return;
  std::vector<Dim> lead(a.dims.begin(), a.dims.end() - 1);
  if (lead != std::vector<Dim>(b.dims.begin(), b.dims.end() - 1)) {
    ctx.inputError(1, ctx.label() + " needs inputs that agree in all but the last dim, but " +
                          ctx.describeInput(0) + " and " + ctx.describeInput(1));
    return;
  }
  lead.push_back(Dim::known(ctx.getInt("out_features")));
  ctx.setOutput(0, TensorType::of(a.dtype, std::move(lead)));
}

std::vector<ParamSpec> bilinearParams(const Attrs& attrs) {
  int64_t in1 = attrs.at("in1_features").asInt(), in2 = attrs.at("in2_features").asInt();
  // torch.nn.Bilinear bounds both by 1/sqrt(in1_features).
  std::vector<ParamSpec> params;
  appendWeightAndBias(params, {attrs.at("out_features").asInt(), in1, in2}, in1, biasSize(attrs));
  return params;
}

/// Each output element is x1^T W_k x2: in1*in2 multiply-accumulates.
int64_t bilinearMacs(const Attrs& attrs, const std::vector<TensorType>&,
                     const std::vector<TensorType>& outputs) {
  return saturatingProduct({elementsPerSample(outputs[0].dims), attrs.at("in1_features").asInt(),
                            attrs.at("in2_features").asInt()});
}

}  // namespace

void registerLinearOps(OpCatalogue& catalogue) {
  catalogue.add(OpDef("Linear", "affine map y = x W^T + b over the last dim")
                    .category("linear")
                    .impliedInput(impliesFeatureInput("in_features"))
                    .inferred("in_features", AttrType::Int, "size of the input's last dim")
                    .required("out_features", AttrType::Int, "size of the output's last dim")
                    .optional("bias", AttrType::Bool, Value::ofBool(true), "add a learned bias")
                    .input("input")
                    .output("output")
                    .shape(floatingInputs(inferLinear))
                    .params(linearParams)
                    .macs(linearMacs));
  catalogue.add(OpDef("Bilinear", "bilinear map y = x1^T A x2 + b of two inputs")
                    .category("linear")
                    .inferred("in1_features", AttrType::Int, "size of input1's last dim")
                    .inferred("in2_features", AttrType::Int, "size of input2's last dim")
                    .required("out_features", AttrType::Int, "size of the output's last dim")
                    .optional("bias", AttrType::Bool, Value::ofBool(true), "add a learned bias")
                    .input("input1")
                    .input("input2")
                    .output("output")
                    .shape(floatingInputs(inferBilinear))
                    .params(bilinearParams)
                    .macs(bilinearMacs));
}

}  // namespace sketch
