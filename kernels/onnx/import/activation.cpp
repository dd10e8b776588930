// Activations that need more than the op table's one-to-one mapping: Clip (by its bounds),
// HardSigmoid (only torch's constants) and PRelu (its slope is a weight).
#include <cmath>
#include <limits>

#include "import/converters.h"
#include "import/window_attrs.h"

namespace sketch::onnx_import {

/// Clip(0, 6) is ReLU6 (MobileNet), Clip(0, inf) ReLU, other finite bounds Hardtanh.
bool importClip(ConvertContext& ctx, const OnnxOp&) {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  for (size_t i : {1, 2}) {
    if (!ctx.hasInput(i)) continue;
    const Tensor* bound = ctx.constant(i);
    if (!bound || bound->numel() != 1) return ctx.fail("needs constant min and max");
    (i == 1 ? low : high) = floatElements(*bound)[0];
  }
  if (low == 0 && high == 6) return emitUnaryOp(ctx, "ReLU6", {});
  if (low == 0 && std::isinf(high)) return emitUnaryOp(ctx, "ReLU", {});
  if (!std::isinf(low) && !std::isinf(high))
    return emitUnaryOp(ctx, "Hardtanh",
                     {kw("min_val", Value::ofFloat(low)), kw("max_val", Value::ofFloat(high))});
  std::vector<CallArgument> args;
  if (!std::isinf(low)) args.push_back(kw("min", Value::ofFloat(low)));
  if (!std::isinf(high)) args.push_back(kw("max", Value::ofFloat(high)));
  return emitUnaryOp(ctx, "Clamp", args);
}

/// HardSigmoid is torch's Hardsigmoid only with alpha 1/6 and beta 1/2.
bool isTorchHardsigmoid(const ConvertContext& ctx) {
  return std::abs(ctx.attrFloat("alpha", 0.2) - 1.0 / 6) <= 1e-6 && ctx.attrFloat("beta", 0.5) == 0.5;
}

bool importHardSigmoid(ConvertContext& ctx, const OnnxOp&) {
  if (!isTorchHardsigmoid(ctx)) return ctx.fail("only alpha=1/6, beta=0.5 is torch's Hardsigmoid");
  return emitUnaryOp(ctx, "Hardsigmoid", {});
}

bool importShrink(ConvertContext& ctx, const OnnxOp&) {
  double lambd = ctx.attrFloat("lambd", 0.5), bias = ctx.attrFloat("bias", 0.0);
  std::vector<CallArgument> args = {kw("lambd", Value::ofFloat(lambd))};
  if (bias == 0.0) return emitUnaryOp(ctx, "Hardshrink", args);
  if (bias == lambd) return emitUnaryOp(ctx, "Softshrink", args);
  return ctx.fail("only bias 0 (torch's Hardshrink) or bias = lambd (Softshrink) has a torch op");
}

/// PRelu's slope is a weight of 1 or C elements (broadcast as [C, 1, 1]).
bool importPRelu(ConvertContext& ctx, const OnnxOp&) {
  const Tensor* slope = ctx.weight(1);
  if (!slope || slope->dtype() != DType::Float32)
    return ctx.fail("needs its slope as an initializer");
  auto input = ctx.port(0);
  if (!input) return false;
  auto id = ctx.emit("PReLU", {kw("num_parameters", Value::ofInt(slope->numel()))}, {*input},
                     ctx.hintFromWeight(1, "weight"));
  if (!id) return false;
  ctx.setWeight(*id, "weight", reshapedTensor(*slope, {slope->numel()}));
  ctx.setOutput(0, {*id, 0});
  return true;
}

}  // namespace sketch::onnx_import
