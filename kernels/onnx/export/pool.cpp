// Pooling. Sliding-window pools are ONNX's MaxPool/AveragePool; adaptive pools become global
// pools or, when each output cell covers an equal window, fixed pools.
#include "op_table.h"

namespace sketch {

namespace {

bool attrIs(const Node& node, const char* name, bool value) {
  auto it = node.attrs.find(name);
  return it != node.attrs.end() && it->second.isBool() && it->second.asBool() == value;
}

}  // namespace

bool supportsPool(const Node& node) {
  auto divisor = node.attrs.find("divisor_override");
  if (divisor != node.attrs.end() && !divisor->second.isNone()) return false;
  // ONNX's indices are flat over N, C and space; torch's only over space.
  return !attrIs(node, "return_indices", true);
}

bool supportsAdaptivePool(const Node& node) { return !attrIs(node, "return_indices", true); }

void emitPool(EmitContext& ctx, const char* onnxOp) {
  std::vector<int64_t> kernel = ctx.attr("kernel_size").isInt()
                                    ? std::vector<int64_t>{}
                                    : ctx.attr("kernel_size").asInts();
  size_t rank = kernel.empty() ? ctx.inputType(0).rank() - 2 : kernel.size();
  if (ctx.inputType(0).rank() != rank + 2) return ctx.fail("has an unbatched input");
  kernel = ctx.getInts("kernel_size", rank);
  std::vector<int64_t> pads = ctx.getInts("padding", rank);
  pads.insert(pads.end(), pads.begin(), pads.end());
  onnx::NodeProto& n = ctx.add(onnxOp, {ctx.input(0)}, {ctx.output(0)});
  setInts(n, "kernel_shape", kernel);
  setInts(n, "strides", ctx.isNone("stride") ? kernel : ctx.getInts("stride", rank));
  setInts(n, "pads", pads);
  setInt(n, "ceil_mode", ctx.getBool("ceil_mode"));
  if (!ctx.isNone("dilation")) setInts(n, "dilations", ctx.getInts("dilation", rank));
  if (!ctx.isNone("count_include_pad"))
    setInt(n, "count_include_pad", ctx.getBool("count_include_pad"));
  // MaxPool's optional Indices output stays unnamed; torch's `indices` port is not offered.
}

void emitAdaptivePool(EmitContext& ctx, const char* onnxOp) {
  const TensorType& in = ctx.inputType(0);
  const TensorType& out = ctx.outputType(0);
  if (in.rank() < 3) return ctx.fail("has an unbatched input");
  bool global = true;
  std::vector<int64_t> kernel;
  for (size_t i = 2; i < in.rank(); ++i) {
    global = global && out.dims[i] == Dim::known(1);
    if (!in.dims[i].isKnown() || !out.dims[i].isKnown()) {
      kernel.clear();
      break;
    }
    int64_t size = in.dims[i].value(), cells = out.dims[i].value();
    if (size % cells != 0) break;
    kernel.push_back(size / cells);
  }
  std::string pool = std::string(onnxOp) == "MaxPool" ? "MaxPool" : "AveragePool";
  if (global) return ctx.opTo("Global" + pool, {ctx.input(0)}, ctx.output(0));
  if (kernel.size() != in.rank() - 2) {
    return ctx.fail("maps " + in.shapeString() + " to " + out.shapeString() +
                    " with unequal windows, which ONNX's pools cannot express");
  }
  onnx::NodeProto& n = ctx.add(pool, {ctx.input(0)}, {ctx.output(0)});
  setInts(n, "kernel_shape", kernel);
  setInts(n, "strides", kernel);
}

}  // namespace sketch
