// The activations torch.onnx.export writes as several nodes at opsets 13-17 read back as one
// block, matched from the node that starts them:
//   GELU   x / sqrt(2) -> Erf -> + 1 -> x * . -> * 0.5                     (from Div)
//   GELU('tanh')  x * x -> x * . -> * 0.044715 -> x + . -> * sqrt(2/pi) -> Tanh -> + 1
//          -> x * . -> * 0.5                                              (from Mul)
//   SiLU   Sigmoid -> x * .                                                (from Sigmoid)
//   Hardswish  HardSigmoid(1/6, 0.5) -> x * .                              (from HardSigmoid)
//   Mish   Softplus -> Tanh -> x * .                                       (from Softplus)
// Each step must be the only reader of the one before, so that no value the rest of the
// graph reads disappears, and each constant must be torch's; anything else converts node
// by node.
#include <cmath>
#include <initializer_list>

#include "import/converters.h"

namespace sketch::onnx_import {

namespace {

struct ChainMatch {
  std::vector<const onnx::NodeProto*> nodes;  // after the first, which is being converted
  std::string output;
};

class ChainMatcher {
 public:
  explicit ChainMatcher(ConvertContext& ctx)
      : ctx_(ctx), graph_(ctx.onnx()), x_(graph_.resolve(ctx.node().input(0))) {}

  /// From `Div(x, sqrt(2))`.
  std::optional<ChainMatch> matchErf() {
    const onnx::NodeProto& div = ctx_.node();
    if (!isScalar(div, x_, std::sqrt(2.0)) || graph_.resolve(div.input(0)) != x_) return {};
    ChainMatch m;
    const onnx::NodeProto* erf = next(div, "Erf", m);
    const onnx::NodeProto* plusOne = erf ? next(*erf, "Add", m) : nullptr;
    if (!plusOne || !isScalar(*plusOne, erf->output(0), 1.0)) return {};
    return tail(*plusOne, m);
  }

  /// From `Mul(x, x)`.
  std::optional<ChainMatch> matchTanh() {
    const onnx::NodeProto& square = ctx_.node();
    if (square.input_size() != 2 || graph_.resolve(square.input(1)) != x_) return {};
    ChainMatch m;
    const onnx::NodeProto* cube = next(square, "Mul", m);
    if (!cube || !reads(*cube, x_)) return {};
    const onnx::NodeProto* scaled = next(*cube, "Mul", m);
    if (!scaled || !isScalar(*scaled, cube->output(0), 0.044715)) return {};
    const onnx::NodeProto* inner = next(*scaled, "Add", m);
    if (!inner || !reads(*inner, x_)) return {};
    const onnx::NodeProto* scaledInner = next(*inner, "Mul", m);
    if (!scaledInner || !isScalar(*scaledInner, inner->output(0), std::sqrt(2.0 / M_PI))) return {};
    const onnx::NodeProto* tanh = next(*scaledInner, "Tanh", m);
    const onnx::NodeProto* plusOne = tanh ? next(*tanh, "Add", m) : nullptr;
    if (!plusOne || !isScalar(*plusOne, tanh->output(0), 1.0)) return {};
    return tail(*plusOne, m);
  }

  /// From the first node of f in `x * f(x)`, whose later steps are `steps`.
  std::optional<ChainMatch> matchGated(std::initializer_list<const char*> steps) {
    ChainMatch m;
    const onnx::NodeProto* last = &ctx_.node();
    for (const char* op : steps)
      if (!(last = next(*last, op, m))) return {};
    const onnx::NodeProto* times = next(*last, "Mul", m);
    if (!times || !reads(*times, x_)) return {};
    m.output = times->output(0);
    return m;
  }

 private:
  /// `x * (1 + ...)` then `* 0.5`, after the `1 + ...`.
  std::optional<ChainMatch> tail(const onnx::NodeProto& plusOne, ChainMatch& m) {
    const onnx::NodeProto* times = next(plusOne, "Mul", m);
    if (!times || !reads(*times, x_)) return {};
    const onnx::NodeProto* half = next(*times, "Mul", m);
    if (!half || !isScalar(*half, times->output(0), 0.5)) return {};
    m.output = half->output(0);
    return m;
  }

  /// The sole reader of `node`'s output when it is an `op`, added to the match.
  const onnx::NodeProto* next(const onnx::NodeProto& node, const char* op, ChainMatch& m) const {
    const onnx::NodeProto* n = ctx_.soleConsumer(node, op);
    if (n) m.nodes.push_back(n);
    return n;
  }

  bool reads(const onnx::NodeProto& node, const std::string& value) const {
    for (const std::string& in : node.input())
      if (graph_.resolve(in) == value) return true;
    return false;
  }

  /// Whether the binary `node` is `value` op the constant `want` (float32 precision).
  bool isScalar(const onnx::NodeProto& node, const std::string& value, double want) const {
    std::optional<double> got = graph_.scalarOperand(node, value);
    return got && std::abs(*got - want) <= 1e-6 * std::abs(want);
  }

  ConvertContext& ctx_;
  const OnnxGraph& graph_;
  std::string x_;
};

bool emitMatched(ConvertContext& ctx, const ChainMatch& m, const std::string& op,
                 const std::vector<CallArgument>& args = {}) {
  NameHint hint;
  hint.scope = ctx.scope();
  auto input = ctx.port(0);
  if (!input) return false;
  auto id = ctx.emit(op, args, {*input}, hint);
  if (!id) return false;
  for (const onnx::NodeProto* n : m.nodes) ctx.absorb(*n);
  ctx.bindValue(m.output, {*id, 0});
  return true;
}

}  // namespace

bool importDiv(ConvertContext& ctx, const OnnxOp& row) {
  if (auto m = ChainMatcher(ctx).matchErf()) return emitMatched(ctx, *m, "GELU");
  return importOneToOne(ctx, row);
}

bool importMul(ConvertContext& ctx, const OnnxOp& row) {
  if (auto m = ChainMatcher(ctx).matchTanh())
    return emitMatched(ctx, *m, "GELU", {kw("approximate", Value::ofString("tanh"))});
  return importOneToOne(ctx, row);
}

bool importSigmoid(ConvertContext& ctx, const OnnxOp& row) {
  if (auto m = ChainMatcher(ctx).matchGated({})) return emitMatched(ctx, *m, "SiLU");
  return importOneToOne(ctx, row);
}

bool importSoftplus(ConvertContext& ctx, const OnnxOp& row) {
  if (auto m = ChainMatcher(ctx).matchGated({"Tanh"})) return emitMatched(ctx, *m, "Mish");
  return importOneToOne(ctx, row);
}

bool importHardSigmoidOrSwish(ConvertContext& ctx, const OnnxOp& row) {
  if (auto m = ChainMatcher(ctx).matchGated({}); m && isTorchHardsigmoid(ctx))
    return emitMatched(ctx, *m, "Hardswish");
  return importHardSigmoid(ctx, row);
}

}  // namespace sketch::onnx_import
