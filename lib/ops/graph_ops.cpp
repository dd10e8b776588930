#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/op_helpers.h"

namespace sketch {

namespace {

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
      .shape(sameShape)
      .macs(noMacs);
}

}  // namespace

void registerGraphOps(OpCatalogue& catalogue) {
  catalogue.add(inputOp());
  catalogue.add(identityOp());
}

}  // namespace sketch
