#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/shape_context.h"

namespace sketch {

void registerGraphOps(OpCatalogue& catalogue) {
  catalogue.add(OpDef("Identity", "passes its input through unchanged")
                    .category("utility")
                    .input("input")
                    .output("output")
                    .shape([](ShapeContext& ctx) { ctx.setOutput(0, ctx.input(0)); })
                    .macs([](const Attrs&, const auto&, const auto&) { return int64_t{0}; }));
}

}  // namespace sketch
