// Pooling. Sliding-window pools are ONNX's MaxPool/AveragePool; adaptive pools become global
// pools or per-cell reductions over torch's windows.
#include <cstdint>

#include "building_blocks.h"
#include "emitters.h"

namespace sketch {

namespace {

bool attrIs(const Node& node, const char* name, bool value) {
  auto it = node.attrs.find(name);
  return it != node.attrs.end() && it->second.isBool() && it->second.asBool() == value;
}

}  // namespace

bool supportsAdaptivePool(const Node& node) { return !attrIs(node, "return_indices", true); }

void emitPool(EmitContext& ctx, const OnnxOp& row) {
  size_t rank = windowRank(ctx);
  std::vector<int64_t> kernel = ctx.getInts("kernel_size", rank);
  std::vector<int64_t> pads = ctx.getInts("padding", rank);
  pads.insert(pads.end(), pads.begin(), pads.end());
  // divisor_override divides the window sum: the padded average times kernel / divisor.
  bool divided = !ctx.isNone("divisor_override");
  std::string pooled = divided ? ctx.fresh(row.foreign) : ctx.output(0);
  onnx::NodeProto& n = ctx.add(row.foreign, {ctx.input(0)}, {pooled});
  setInts(n, "kernel_shape", kernel);
  setInts(n, "strides", ctx.isNone("stride") ? kernel : ctx.getInts("stride", rank));
  setInts(n, "pads", pads);
  setInt(n, "ceil_mode", ctx.getBool("ceil_mode"));
  if (!ctx.isNone("dilation")) setInts(n, "dilations", ctx.getInts("dilation", rank));
  if (!ctx.isNone("count_include_pad"))
    setInt(n, "count_include_pad", divided || ctx.getBool("count_include_pad"));
  if (ctx.outputCount() > 1) {
    // ONNX counts indices over the flattened N, C and spatial dims, torch within each
    // (n, c) plane: the remainder by the plane's size.
    std::string flat = ctx.fresh("Indices");
    n.add_output(flat);
    std::string spatial =
        ctx.op("Slice", {ctx.op("Shape", {ctx.input(0)}), ctx.ints({2}), ctx.ints({INT64_MAX})});
    std::string plane = reduce(ctx, "ReduceProd", spatial, {0}, false);
    ctx.opTo("Mod", {flat, plane}, ctx.output(1));
  }
  if (!divided) return;
  int64_t elements = 1;
  for (int64_t k : kernel) elements *= k;
  double factor = double(elements) / double(ctx.getInt("divisor_override"));
  ctx.opTo("Mul", {pooled, ctx.scalar(factor)}, ctx.output(0));
}

void emitAdaptivePool(EmitContext& ctx, const OnnxOp& row) {
  adaptivePool(ctx, row.op == "AdaptiveMaxPool");
}

void adaptivePool(EmitContext& ctx, bool isMax) {
  const TensorType& in = ctx.inputType(0);
  const TensorType& out = ctx.outputType(0);
  if (in.rank() < 3) return ctx.fail("has an unbatched input");
  bool global = true;
  for (size_t i = 2; i < in.rank(); ++i) global = global && out.dims[i] == Dim::known(1);
  if (global)
    return ctx.opTo(isMax ? "GlobalMaxPool" : "GlobalAveragePool", {ctx.input(0)}, ctx.output(0));
  // torch's cell i covers [floor(i * in / out), ceil((i + 1) * in / out)); windows are
  // products of per-axis ranges, so pooling one axis at a time gives the same result.
  std::string x = ctx.input(0);
  for (size_t axis = 2; axis < in.rank(); ++axis) {
    if (!in.dims[axis].isKnown() || !out.dims[axis].isKnown())
      return ctx.fail("pools a dim whose size is not known: " + in.shapeString());
    int64_t size = in.dims[axis].value(), cells = out.dims[axis].value();
    if (size == cells) continue;
    std::vector<std::string> pieces;
    for (int64_t i = 0; i < cells; ++i) {
      int64_t begin = i * size / cells, end = ((i + 1) * size + cells - 1) / cells;
      std::string window =
          ctx.op("Slice", {x, ctx.ints({begin}), ctx.ints({end}), ctx.ints({int64_t(axis)})});
      pieces.push_back(
          reduce(ctx, isMax ? "ReduceMax" : "ReduceMean", window, {int64_t(axis)}, true));
    }
    std::string joined = ctx.fresh("Concat");
    setInt(ctx.add("Concat", pieces, {joined}), "axis", int64_t(axis));
    x = joined;
  }
  ctx.opTo("Identity", {x}, ctx.output(0));
}

}  // namespace sketch
