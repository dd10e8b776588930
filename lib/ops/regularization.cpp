// The Dropout family: identity on shapes, with PyTorch's checks on p and on the input rank.
#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/op_helpers.h"

namespace sketch {

namespace {

struct DropoutSpec {
  const char* name;
  const char* doc;
  size_t minRank;  // 0 with maxRank 0: any rank
  size_t maxRank;
};

void inferDropout(ShapeContext& ctx, const DropoutSpec& spec) {
  double p = ctx.getFloat("p");
  if (p < 0 || p > 1) {
    ctx.attrError("p", ctx.label() + " has p " + Value::ofFloat(p).toString() +
                           ", but a probability must be between 0 and 1");
    return;
  }
  if (spec.maxRank && !ctx.expectRank(0, {spec.minRank, spec.maxRank})) return;
  sameShape(ctx);
}

// Dropout2d and Dropout3d only warn about other ranks in PyTorch, so they take any rank.
const DropoutSpec kDropouts[] = {
    {"Dropout", "zeroes elements with probability p while training", 0, 0},
    {"Dropout1d", "zeroes whole channels of an [N, C, L] input while training", 2, 3},
    {"Dropout2d", "zeroes whole channels of an [N, C, H, W] input while training", 0, 0},
    {"Dropout3d", "zeroes whole channels of an [N, C, D, H, W] input while training", 0, 0},
    {"AlphaDropout", "dropout that keeps SELU's self-normalising mean and variance", 0, 0},
    {"FeatureAlphaDropout", "AlphaDropout of whole channels", 0, 0},
};

}  // namespace

void registerRegularizationOps(OpCatalogue& catalogue) {
  for (const DropoutSpec& spec : kDropouts) {
    catalogue.add(OpDef(spec.name, spec.doc)
                      .category("regularization")
                      .optional("p", AttrType::Float, Value::ofFloat(0.5), "drop probability")
                      .attr(inplaceAttr())
                      .input("input")
                      .output("output")
                      .shape([spec](ShapeContext& ctx) { inferDropout(ctx, spec); })
                      .macs(noMacs));
  }
}

}  // namespace sketch
