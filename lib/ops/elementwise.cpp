// Elementwise tensor functions (torch.add, torch.sqrt, torch.where, ...) and torch.matmul.
// Ports and arguments follow the torch functions: binary ops take `input` and `other` and
// broadcast them.
#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/op_helpers.h"

namespace sketch {

namespace {

/// Broadcasts inputs `a` and `b`; reports both producers' shapes when they do not fit.
std::optional<std::vector<Dim>> broadcastInputs(ShapeContext& ctx, size_t a, size_t b) {
  if (auto out = broadcastShapes(ctx.input(a).dims, ctx.input(b).dims)) return out;
  ctx.inputError(
      b,
      ctx.label() + " cannot broadcast its inputs: " + ctx.describeInput(a) + " and " +
          ctx.describeInput(b),
      "aligned from the last dim, sizes must be equal or 1");
  return std::nullopt;
}

void inferBinary(ShapeContext& ctx, bool trueDivision) {
  auto dims = broadcastInputs(ctx, 0, 1);
  if (!dims) return;
  DType dtype = promoteTypes(ctx.input(0).dtype, ctx.input(1).dtype);
  // torch.div without rounding_mode is true division: integers give float32.
  if (trueDivision) dtype = floatResult(dtype);
  ctx.setOutput(0, TensorType::of(dtype, *dims));
}

/// A torch function over `input` and, for binary ones, `other`.
OpDef elementwiseOp(const std::string& name, const std::string& doc, bool binary) {
  OpDef op(name, doc);
  op.category("elementwise").module(false).input("input");
  if (binary) op.input("other");
  return op.output("output").macs(noMacs);
}

OpDef binaryOp(const std::string& name, const std::string& doc) {
  return elementwiseOp(name, doc, true);
}

/// A function of one tensor that computes in floating point (sqrt, exp, ...).
OpDef unaryOp(const std::string& name, const std::string& doc) {
  return elementwiseOp(name, doc, false)
      .shape([](ShapeContext& ctx) {
        ctx.setOutput(0, TensorType::of(floatResult(ctx.input(0).dtype), ctx.input(0).dims));
      });
}

void inferPow(ShapeContext& ctx) {
  DType dtype = ctx.input(0).dtype;
  const Value& exponent = ctx.attr("exponent");
  if (!exponent.isNumber()) {
    return ctx.attrError(
        "exponent", ctx.label() + " expects a number as exponent, but got " + exponent.toString());
  }
  if (!isFloatingPoint(dtype) && exponent.isInt() && exponent.asInt() < 0) {
    return ctx.attrError("exponent",
                         ctx.label() + " cannot raise integers to the negative power " +
                             exponent.toString() + ": " + ctx.describeInput(0) + " of type " +
                             dtypeName(dtype),
                         "use a float exponent such as " + exponent.toString() + ".0");
  }
  // An int exponent keeps integer inputs integral; a float one gives float32.
  if (exponent.isFloat()) dtype = floatResult(dtype);
  ctx.setOutput(0, TensorType::of(dtype, ctx.input(0).dims));
}

OpDef pow() {
  // Any, not Float: the binder would turn 2 into 2.0, and the two differ in result dtype.
  return elementwiseOp("Pow", "input raised to a constant power (torch.pow)", false)
      .required("exponent", AttrType::Any, "the power, an int or a float")
      .shape(inferPow);
}

OpDef clamp() {
  return elementwiseOp("Clamp", "limits values to [min, max] (torch.clamp)", false)
      .optional("min", AttrType::Float, Value::none(), "lower bound")
      .optional("max", AttrType::Float, Value::none(), "upper bound")
      .shape([](ShapeContext& ctx) {
        if (ctx.isNone("min") && ctx.isNone("max"))
          return ctx.error(ctx.label() + " needs min or max", "set min=, max= or both");
        sameShape(ctx);
      });
}

OpDef where() {
  return OpDef("Where", "picks input where condition holds, else other (torch.where)")
      .category("elementwise")
      .module(false)
      .input("condition")
      .input("input")
      .input("other")
      .output("output")
      .shape([](ShapeContext& ctx) {
        DType cond = ctx.input(0).dtype;
        // uint8 masks are deprecated but still accepted by torch.where.
        if (cond != DType::Bool && cond != DType::UInt8)
          return ctx.inputError(0, ctx.label() + " expects a bool condition, but " +
                                       ctx.describeInput(0) + " of type " + dtypeName(cond));
        auto dims = broadcastInputs(ctx, 0, 1);
        if (!dims) return;
        dims = broadcastShapes(*dims, ctx.input(2).dims);
        if (!dims) {
          return ctx.inputError(2, ctx.label() + " cannot broadcast its inputs: " +
                                       ctx.describeInput(2) + ", " + ctx.describeInput(0) +
                                       " and " + ctx.describeInput(1));
        }
        ctx.setOutput(0,
                      TensorType::of(promoteTypes(ctx.input(1).dtype, ctx.input(2).dtype), *dims));
      })
      .macs(noMacs);
}

void inferMatMul(ShapeContext& ctx) {
  const TensorType& a = ctx.input(0);
  const TensorType& b = ctx.input(1);
  for (size_t i : {0, 1}) {
    if (ctx.input(i).rank() == 0)
      return ctx.inputError(
          i, ctx.label() + " expects inputs with at least 1 dim, but " + ctx.describeInput(i));
  }
  if (a.dtype != b.dtype) {
    return ctx.inputError(1, ctx.label() + " expects both inputs of one type, but got " +
                                 dtypeName(a.dtype) + " and " + dtypeName(b.dtype));
  }
  // A 1-D operand acts as a row (left) or column (right) vector that is dropped afterwards.
  std::vector<Dim> left = a.dims, right = b.dims;
  if (left.size() == 1) left.insert(left.begin(), Dim::known(1));
  if (right.size() == 1) right.push_back(Dim::known(1));
  const Dim& k = left.back();
  if (k != right[right.size() - 2]) {
    return ctx.inputError(1, ctx.label() + " needs the last dim of input to equal " +
                                 (b.rank() == 1 ? "the only dim" : "dim -2") + " of other, but " +
                                 ctx.describeInput(0) + " and " + ctx.describeInput(1));
  }
  std::vector<Dim> batchA(left.begin(), left.end() - 2), batchB(right.begin(), right.end() - 2);
  auto batch = broadcastShapes(batchA, batchB);
  if (!batch) {
    return ctx.inputError(1, ctx.label() + " cannot broadcast the batch dims of its inputs: " +
                                 ctx.describeInput(0) + " and " + ctx.describeInput(1));
  }
  std::vector<Dim> out = *batch;
  if (a.rank() > 1) out.push_back(left[left.size() - 2]);
  if (b.rank() > 1) out.push_back(right.back());
  ctx.setOutput(0, TensorType::of(a.dtype, out));
}

OpDef matMul() {
  return OpDef("MatMul", "matrix product with batch broadcasting (torch.matmul)")
      .category("linear")
      .module(false)
      .input("input")
      .input("other")
      .output("output")
      .shape(inferMatMul)
      .macs(
          [](const Attrs&, const std::vector<TensorType>& in, const std::vector<TensorType>& out) {
            return saturatingProduct(
                {elementsPerSample(out[0].dims), sizeOrOne(in[0].dims.back())});
          });
}

}  // namespace

void registerElementwiseOps(OpCatalogue& catalogue) {
  catalogue.add(binaryOp("Add", "input + alpha * other, broadcast (torch.add)")
                    .optional("alpha", AttrType::Float, Value::ofInt(1), "scale of other")
                    .shape([](ShapeContext& ctx) { inferBinary(ctx, false); }));
  catalogue.add(binaryOp("Sub", "input - alpha * other, broadcast (torch.sub)")
                    .optional("alpha", AttrType::Float, Value::ofInt(1), "scale of other")
                    .shape([](ShapeContext& ctx) { inferBinary(ctx, false); }));
  catalogue.add(
      binaryOp("Mul", "input * other, broadcast (torch.mul)").shape([](ShapeContext& ctx) {
        inferBinary(ctx, false);
      }));
  AttrDef rounding = choiceAttr("rounding_mode", Value::none(), {"trunc", "floor"},
                                "none for true division, or trunc or floor");
  catalogue.add(
      binaryOp("Div", "input / other, broadcast (torch.div)")
          .attr(rounding)
          .shape([](ShapeContext& ctx) { inferBinary(ctx, ctx.isNone("rounding_mode")); }));
  catalogue.add(pow());
  catalogue.add(unaryOp("Sqrt", "elementwise square root (torch.sqrt)"));
  catalogue.add(unaryOp("Exp", "elementwise exponential (torch.exp)"));
  catalogue.add(unaryOp("Log", "elementwise natural logarithm (torch.log)"));
  catalogue.add(unaryOp("Erf", "elementwise error function (torch.erf)"));
  catalogue.add(clamp());
  catalogue.add(where());
  catalogue.add(matMul());
}

}  // namespace sketch
