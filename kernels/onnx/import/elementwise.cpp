// Elementwise arithmetic: Add/Sub/Mul/Div keep both operands as links (a constant operand
// becomes a Constant, a weight a Parameter named by the weight); Pow by a constant is Pow;
// Sqrt/Exp/Log/Erf are the unary tensor functions of the same names.
#include "import/families.h"
#include "import/window_attrs.h"

namespace sketch::onnx_import {

namespace {

bool importBinary(ConvertContext& ctx, const std::string& op) {
  auto a = ctx.port(0);
  if (!a) return false;
  auto b = ctx.port(1);
  if (!b) return false;
  auto id = ctx.emit(op, {}, {*a, *b});
  if (!id) return false;
  ctx.setOutput(0, {*id, 0});
  return true;
}

bool importUnary(ConvertContext& ctx, const std::string& op, std::vector<CallArgument> args) {
  auto a = ctx.port(0);
  if (!a) return false;
  auto id = ctx.emit(op, args, {*a});
  if (!id) return false;
  ctx.setOutput(0, {*id, 0});
  return true;
}

bool importPow(ConvertContext& ctx) {
  const Tensor* exponent = ctx.constant(1);
  if (!exponent || exponent->numel() != 1) return ctx.fail("needs a constant scalar exponent");
  double e = floatElements(*exponent)[0];
  Value value = isFloatingPoint(exponent->dtype()) ? Value::ofFloat(e)
                                                   : Value::ofInt(static_cast<int64_t>(e));
  return importUnary(ctx, "Pow", {kw("exponent", value)});
}

Converter binary(const char* op) {
  std::string name = op;
  return [name](ConvertContext& ctx) { return importBinary(ctx, name); };
}

Converter unary(const char* op) {
  std::string name = op;
  return [name](ConvertContext& ctx) { return importUnary(ctx, name, {}); };
}

}  // namespace

void registerElementwiseImporters(ConverterRegistry& r) {
  for (const char* op : {"Add", "Sub", "Mul", "Div"}) r.addVersions(op, {13, 14}, binary(op));
  r.addVersions("Pow", {13, 15}, importPow);
  for (const char* op : {"Sqrt", "Exp", "Log", "Erf"}) r.addVersions(op, {13}, unary(op));
}

}  // namespace sketch::onnx_import
