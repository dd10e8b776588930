// Pad (constant mode) -> ZeroPad2d or ConstantPad{1,2,3}d; reflect and edge modes have
// layers of their own in PyTorch that the catalogue does not have yet, and are reported.
#include "import/converters.h"
#include "import/window_attrs.h"

namespace sketch::onnx_import {

bool importPad(ConvertContext& ctx, const OnnxOp&) {
  std::string mode = ctx.attrString("mode", "constant");
  if (mode != "constant") return ctx.fail("mode '" + mode + "' is not converted");
  auto pads = ctx.constantInts(1);
  if (!pads) return ctx.fail("needs constant pads");
  double value = 0;
  if (ctx.hasInput(2)) {
    const Tensor* v = ctx.constant(2);
    if (!v || v->numel() != 1) return ctx.fail("needs a constant scalar value");
    value = floatElements(*v)[0];
  }
  if (ctx.hasInput(3)) return ctx.fail("axes are not converted");
  auto input = ctx.port(0);
  if (!input) return false;
  auto padded = emitConstantPad(ctx, *input, *pads, value);
  if (!padded) return false;
  ctx.setOutput(0, *padded);
  return true;
}

}  // namespace sketch::onnx_import
