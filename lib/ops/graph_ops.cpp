#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/shape_context.h"

namespace sketch {

namespace {

int64_t noMacs(const Attrs&, const std::vector<TensorType>&, const std::vector<TensorType>&) {
  return 0;
}

// A graph input: its type comes from the `input` statement, stored as attributes so that
// the node is described like every other node.
OpDef inputOp() {
  return OpDef("Input", "a graph input; written as 'input name: dtype[dims]'")
      .category("input")
      .module(false)
      .required("dtype", AttrType::String, "element type")
      .required("shape", AttrType::Any, "dims: ints, or strings for symbolic sizes")
      .output("output")
      .shape([](ShapeContext& ctx) {
        std::vector<Dim> dims;
        for (const Value& d : ctx.attr("shape").asList())
          dims.push_back(d.isInt() ? Dim::known(d.asInt()) : Dim::symbol(d.asString()));
        ctx.setOutput(0, TensorType::of(*parseDType(ctx.getString("dtype")), std::move(dims)));
      })
      .macs(noMacs);
}

OpDef identityOp() {
  return OpDef("Identity", "passes its input through unchanged (torch.nn.Identity)")
      .category("utility")
      .input("input")
      .output("output")
      .shape([](ShapeContext& ctx) { ctx.setOutput(0, ctx.input(0)); })
      .macs(noMacs);
}

}  // namespace

void registerGraphOps(OpCatalogue& catalogue) {
  catalogue.add(inputOp());
  catalogue.add(identityOp());
}

}  // namespace sketch
