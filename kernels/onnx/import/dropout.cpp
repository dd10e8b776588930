// Dropout -> Dropout(p). Exports in eval mode usually drop it; when present it is kept so
// that the module tree matches, provided it is not in training mode.
#include "import/converter.h"
#include "import/converters.h"

namespace sketch::onnx_import {

bool importDropout(ConvertContext& ctx, const OnnxOp&) {
  double p = 0.5;
  if (ctx.hasInput(1)) {
    const Tensor* ratio = ctx.constant(1);
    if (!ratio || ratio->numel() != 1) return ctx.fail("needs a constant ratio");
    p = floatElements(*ratio)[0];
  }
  if (ctx.hasInput(2)) {
    const Tensor* training = ctx.constant(2);
    if (!training || intElements(*training)[0] != 0) return ctx.fail("runs in training mode");
  }
  if (ctx.node().output_size() > 1 && !ctx.node().output(1).empty())
    return ctx.fail("its mask output has no PyTorch counterpart");
  auto input = ctx.port(0);
  if (!input) return false;
  auto id = ctx.emit("Dropout", {kw("p", Value::ofFloat(p))}, {*input});
  if (!id) return false;
  ctx.setOutput(0, {*id, 0});
  return true;
}

}  // namespace sketch::onnx_import
