// Ops that map one-to-one: ReLU, Sigmoid, LeakyReLU (alpha is negative_slope), Softmax
// (axis is dim), Add, Concat, ... The op table's attribute map is the only place that
// says how their attributes correspond.
#include "import/converters.h"

namespace sketch::onnx_import {

bool importOneToOne(ConvertContext& ctx, const OnnxOp& row) {
  auto inputs = ctx.presentPorts();
  if (!inputs) return false;
  std::vector<CallArgument> args =
      ourArguments(row.attrs, [&](const std::string& name) { return ctx.attrValue(name); });
  auto id = ctx.emit(row.op, args, *inputs);
  if (!id) return false;
  for (int i = 0; i < ctx.node().output_size(); ++i) ctx.setOutput(size_t(i), {*id, uint32_t(i)});
  return true;
}

}  // namespace sketch::onnx_import
