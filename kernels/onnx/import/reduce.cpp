// ReduceMean/ReduceSum -> Mean/Sum. A ReduceMean that starts torch 1.13's decomposed
// LayerNorm (x - mean, squared, mean, + eps, sqrt, divide, * weight, + bias) becomes one
// LayerNorm, named after its weight (`norm1.weight` -> `norm1`).
#include <algorithm>

#include "import/converters.h"
#include "import/window_attrs.h"

namespace sketch::onnx_import {

namespace {

/// Walks the decomposed LayerNorm from its first ReduceMean; fills the nodes it spans.
struct LayerNormMatch {
  std::vector<const onnx::NodeProto*> nodes;
  double eps = 0;
  std::string weight, bias;  // ONNX value names, empty when absent
  std::string output;
};

class LayerNormMatcher {
 public:
  explicit LayerNormMatcher(ConvertContext& ctx) : ctx_(ctx), graph_(ctx.onnx()) {}

  std::optional<LayerNormMatch> match() {
    const onnx::NodeProto& mean = ctx_.node();
    std::string x = graph_.resolve(mean.input(0));
    const onnx::NodeProto* sub = ctx_.soleConsumer(mean, "Sub");
    if (!sub || graph_.resolve(sub->input(0)) != x) return std::nullopt;
    // The centred value feeds both the variance (Pow) and the division.
    const onnx::NodeProto *pow = nullptr, *div = nullptr;
    for (const onnx::NodeProto* n : graph_.consumersOf(sub->output(0))) {
      if (n->op_type() == "Pow") pow = n;
      if (n->op_type() == "Div") div = n;
    }
    if (!pow || !div || graph_.consumersOf(sub->output(0)).size() != 2) return std::nullopt;
    const onnx::NodeProto* var = ctx_.soleConsumer(*pow, "ReduceMean");
    const onnx::NodeProto* add = var ? ctx_.soleConsumer(*var, "Add") : nullptr;
    const onnx::NodeProto* sqrt = add ? ctx_.soleConsumer(*add, "Sqrt") : nullptr;
    if (!sqrt || ctx_.soleConsumer(*sqrt, "Div") != div ||
        graph_.resolve(div->input(0)) != graph_.resolve(sub->output(0)))
      return std::nullopt;
    auto eps = graph_.scalarOperand(*add, var->output(0));
    auto exponent = graph_.scalarOperand(*pow, sub->output(0));
    if (!eps || !exponent || *exponent != 2.0 ||
        intsAttribute(*var, "axes") != intsAttribute(mean, "axes"))
      return std::nullopt;
    LayerNormMatch m;
    m.nodes = {sub, pow, var, add, sqrt, div};
    m.eps = *eps;
    m.output = div->output(0);
    affine(m, "Mul", m.weight);
    affine(m, "Add", m.bias);
    return m;
  }

 private:
  /// Extends the match by a Mul/Add with a weight operand (the affine part).
  void affine(LayerNormMatch& m, const char* op, std::string& weight) {
    const onnx::NodeProto* n = ctx_.soleConsumer(graph_.resolve(m.output));
    if (!n || n->op_type() != op) return;
    for (int i = 0; i < 2; ++i) {
      const ValueInfo* v = graph_.find(n->input(i));
      if (graph_.resolve(n->input(1 - i)) != graph_.resolve(m.output) || !v || !v->initializer)
        continue;
      weight = n->input(i);
      m.nodes.push_back(n);
      m.output = n->output(0);
      return;
    }
  }

  ConvertContext& ctx_;
  const OnnxGraph& graph_;
};

/// The trailing dims `axes` names, or nothing when they are not the trailing dims.
std::optional<std::vector<int64_t>> trailingDims(const TensorType& in, std::vector<int64_t> axes) {
  int64_t rank = static_cast<int64_t>(in.rank());
  for (int64_t& a : axes) a = a < 0 ? a + rank : a;
  std::sort(axes.begin(), axes.end());
  std::vector<int64_t> dims;
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] != rank - static_cast<int64_t>(axes.size() - i)) return std::nullopt;
    if (!in.dims[axes[i]].isKnown()) return std::nullopt;
    dims.push_back(in.dims[axes[i]].value());
  }
  return dims;
}

bool emitLayerNorm(ConvertContext& ctx, const LayerNormMatch& m,
                   const std::vector<int64_t>& shape) {
  const ValueInfo* weight = ctx.onnx().find(m.weight);
  const ValueInfo* bias = ctx.onnx().find(m.bias);
  bool affine = weight && bias && weight->constant->numel() == bias->constant->numel();
  if ((weight || bias) && !affine) return false;
  NameHint hint;
  hint.scope = ctx.scope();
  std::string suffix = ".weight";
  if (affine && m.weight.size() > suffix.size() && m.weight.find("::") == std::string::npos &&
      m.weight.compare(m.weight.size() - suffix.size(), suffix.size(), suffix) == 0)
    hint.exact = m.weight.substr(0, m.weight.size() - suffix.size());
  auto input = ctx.port(0);
  if (!input) return false;
  auto id = ctx.emit("LayerNorm",
                     {kw("normalized_shape", ints(shape)), kw("eps", Value::ofFloat(m.eps)),
                      kw("elementwise_affine", Value::ofBool(affine))},
                     {*input}, hint);
  if (!id) return false;
  if (affine) {
    ctx.setWeight(*id, "weight", reshapedTensor(*weight->constant, shape));
    ctx.setWeight(*id, "bias", reshapedTensor(*bias->constant, shape));
  }
  for (const onnx::NodeProto* n : m.nodes) ctx.absorb(*n);
  ctx.bindValue(m.output, {*id, 0});
  return true;
}

}  // namespace

bool importReduce(ConvertContext& ctx, const OnnxOp& row) {
  const std::string& op = row.op;
  std::vector<int64_t> axes = ctx.attrInts("axes");
  if (ctx.hasInput(1)) {
    auto given = ctx.constantInts(1);
    if (!given) return ctx.fail("needs constant axes");
    axes = *given;
  }
  bool keepdims = ctx.attrInt("keepdims", 1) != 0;
  const TensorType* in = ctx.inputType(0);
  if (op == "Mean" && keepdims && in) {
    auto shape = trailingDims(*in, axes);
    auto match = shape ? LayerNormMatcher(ctx).match() : std::nullopt;
    if (match && emitLayerNorm(ctx, *match, *shape)) return true;
  }
  if (axes.empty() && ctx.attrInt("noop_with_empty_axes", 0)) return ctx.fail("reduces nothing");
  auto input = ctx.port(0);
  if (!input) return false;
  Value dim = axes.empty() ? Value::none() : axes.size() == 1 ? Value::ofInt(axes[0]) : ints(axes);
  auto id = ctx.emit(op, {kw("dim", dim), kw("keepdim", Value::ofBool(keepdims))}, {*input});
  if (!id) return false;
  ctx.setOutput(0, {*id, 0});
  return true;
}

}  // namespace sketch::onnx_import
