// Arithmetic: broadcasting binary ops, Div's rounding modes, Pow by a constant, Clamp, Where.
#include "emitters.h"

namespace sketch {

namespace {

bool isInteger(DType d) { return !isFloatingPoint(d) && d != DType::Bool; }

std::string castTo(EmitContext& ctx, const std::string& x, DType dtype) {
  std::string out = ctx.fresh("Cast");
  setInt(ctx.add("Cast", {x}, {out}), "to", onnxType(dtype));
  return out;
}

}  // namespace

void emitBinary(EmitContext& ctx, const OnnxOp& row) {
  std::string other = ctx.input(1);
  // torch.add/sub scale `other` by alpha.
  if (!ctx.isNone("alpha") && ctx.getFloat("alpha") != 1.0)
    other = ctx.op("Mul", {other, ctx.scalar(ctx.getFloat("alpha"), ctx.inputType(1).dtype)});
  ctx.opTo(row.foreign, {ctx.input(0), other}, ctx.output(0));
}

void emitDiv(EmitContext& ctx, const OnnxOp& row) {
  std::string a = ctx.input(0), b = ctx.input(1);
  DType out = ctx.outputType(0).dtype;
  bool integer = isInteger(ctx.inputType(0).dtype);
  if (ctx.isNone("rounding_mode")) {
    // torch's true division of integers gives floats; ONNX's Div would truncate.
    if (integer) {
      a = castTo(ctx, a, out);
      b = castTo(ctx, b, out);
    }
    return ctx.opTo(row.foreign, {a, b}, ctx.output(0));
  }
  bool floor = ctx.getString("rounding_mode") == "floor";
  if (integer) {
    if (floor)
      return ctx.fail("divides integers with rounding_mode 'floor' (ONNX's Div truncates)");
    return ctx.opTo(row.foreign, {a, b}, ctx.output(0));  // integer Div truncates
  }
  std::string q = ctx.op(row.foreign, {a, b});
  if (floor) return ctx.opTo("Floor", {q}, ctx.output(0));
  // trunc(q) = q - fmod(q, 1)
  std::string frac = ctx.fresh("Mod");
  setInt(ctx.add("Mod", {q, ctx.scalar(1.0, out)}, {frac}), "fmod", 1);
  ctx.opTo("Sub", {q, frac}, ctx.output(0));
}

void emitPow(EmitContext& ctx, const OnnxOp& row) {
  ctx.opTo(row.foreign, {ctx.input(0), ctx.scalar(ctx.getFloat("exponent"))}, ctx.output(0));
}

void emitClamp(EmitContext& ctx, const OnnxOp& row) {
  std::string low = ctx.isNone("min") ? "" : ctx.scalar(ctx.getFloat("min"));
  std::string high = ctx.isNone("max") ? "" : ctx.scalar(ctx.getFloat("max"));
  ctx.opTo(row.foreign, {ctx.input(0), low, high}, ctx.output(0));
}

void emitWhere(EmitContext& ctx, const OnnxOp& row) {
  std::string condition = ctx.input(0);
  if (ctx.inputType(0).dtype != DType::Bool) condition = castTo(ctx, condition, DType::Bool);
  ctx.opTo(row.foreign, {condition, ctx.input(1), ctx.input(2)}, ctx.output(0));
}

}  // namespace sketch
