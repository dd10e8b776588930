// Pow by a constant scalar is Pow. Add/Sub/Mul/Div and the unary functions map one-to-one
// (op table): both operands stay links, a constant one a Constant, a weight a Parameter
// named by the weight.
#include "import/converters.h"
#include "import/window_attrs.h"

namespace sketch::onnx_import {

bool importPow(ConvertContext& ctx, const OnnxOp&) {
  const Tensor* exponent = ctx.constant(1);
  if (!exponent || exponent->numel() != 1) return ctx.fail("needs a constant scalar exponent");
  double e = floatElements(*exponent)[0];
  Value value = isFloatingPoint(exponent->dtype()) ? Value::ofFloat(e)
                                                   : Value::ofInt(static_cast<int64_t>(e));
  return emitUnaryOp(ctx, "Pow", {kw("exponent", value)});
}

}  // namespace sketch::onnx_import
