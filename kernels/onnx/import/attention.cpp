// Self-attention as torch.onnx.export writes nn.MultiheadAttention (torch 1.13): the input
// projection (MatMul + Add), three Slices into q, k and v, per-head Reshapes and Transposes,
// a scaled MatMul, Softmax, a MatMul with v, and the output projection (Gemm) between
// Reshapes, with Transposes around it all for batch_first. The chain becomes one
// MultiheadAttention named after its out_proj weights, with PyTorch's parameter names.
#include "import/attention.h"

#include <cmath>

#include "import/window_attrs.h"

namespace sketch::onnx_import {

namespace {

class AttentionMatcher {
 public:
  explicit AttentionMatcher(ConvertContext& ctx) : ctx_(ctx), graph_(ctx.onnx()) {}

  bool run() {
    const Tensor* w = ctx_.weight(1);
    const TensorType* x = ctx_.inputType(0);
    if (!w || w->shape().size() != 2 || !x || x->rank() != 3) return false;
    embed_ = w->shape()[0];
    if (w->shape()[1] != 3 * embed_) return false;
    const onnx::NodeProto* add = next(ctx_.node(), "Add");
    const Tensor* bias = add ? operand(*add, ctx_.node().output(0)) : nullptr;
    if (!bias || bias->shape() != std::vector<int64_t>{3 * embed_}) return false;
    if (!matchHeads(*add)) return false;
    return emit(*w, *bias);
  }

 private:
  /// The single consumer of `node`'s first output when it is an `op` node.
  const onnx::NodeProto* next(const onnx::NodeProto& node, const char* op) {
    const onnx::NodeProto* n = ctx_.soleConsumer(node, op);
    if (n) nodes_.push_back(n);
    return n;
  }

  /// The weight operand of a binary node whose other operand is `value`.
  const Tensor* operand(const onnx::NodeProto& node, const std::string& value) const {
    if (node.input_size() != 2) return nullptr;
    for (int i = 0; i < 2; ++i) {
      const ValueInfo* v = graph_.find(node.input(i));
      if (graph_.resolve(node.input(1 - i)) == graph_.resolve(value) && v && v->initializer)
        return &*v->constant;
    }
    return nullptr;
  }

  /// Slice -> Reshape [L, N*heads, head_dim] -> Transpose(perm) for one of q, k, v.
  const onnx::NodeProto* head(const onnx::NodeProto& slice, const std::vector<int64_t>& order) {
    nodes_.push_back(&slice);
    const onnx::NodeProto* reshape = next(slice, "Reshape");
    const TensorType* shaped = reshape ? type(reshape->output(0)) : nullptr;
    if (!shaped || shaped->rank() != 3 || !shaped->dims[2].isKnown()) return nullptr;
    headDim_ = shaped->dims[2].value();
    const onnx::NodeProto* t = next(*reshape, "Transpose");
    return t && intsAttribute(*t, "perm") == order ? t : nullptr;
  }

  const TensorType* type(const std::string& value) const {
    const ValueInfo* v = graph_.find(value);
    return v && v->type ? &*v->type : nullptr;
  }

  /// The three Slices of the projection, ordered q, k, v by their start.
  bool slices(const onnx::NodeProto& add, std::vector<const onnx::NodeProto*>& qkv) const {
    qkv.assign(3, nullptr);
    for (const onnx::NodeProto* n : graph_.consumersOf(add.output(0))) {
      const ValueInfo* start =
          n->op_type() == "Slice" && n->input_size() >= 3 ? graph_.find(n->input(1)) : nullptr;
      if (!start || !start->constant || start->constant->numel() != 1) return false;
      int64_t index = intElements(*start->constant)[0] / embed_;
      if (index < 0 || index > 2 || qkv[index]) return false;
      qkv[index] = n;
    }
    return qkv[0] && qkv[1] && qkv[2];
  }

  /// MultiheadAttention divides q by sqrt(head_dim); any other scale is another model.
  bool scaledBySqrtHeadDim(const onnx::NodeProto& div, const std::string& q) const {
    const ValueInfo* c = div.input_size() == 2 && graph_.resolve(div.input(0)) == graph_.resolve(q)
                             ? graph_.find(div.input(1))
                             : nullptr;
    if (!c || !c->constant || c->constant->numel() != 1) return false;
    double expected = std::sqrt(static_cast<double>(headDim_));
    return std::abs(floatElements(*c->constant)[0] - expected) <= 1e-6 * expected;
  }

  /// Softmax over the last of the 3 dims of the scores.
  static bool isLastAxis(const onnx::NodeProto& softmax) {
    int64_t axis = intAttribute(softmax, "axis", -1);
    return axis == -1 || axis == 2;
  }

  bool matchHeads(const onnx::NodeProto& add) {
    std::vector<const onnx::NodeProto*> qkv;
    if (!slices(add, qkv)) return false;
    const onnx::NodeProto* q = head(*qkv[0], {1, 0, 2});
    const onnx::NodeProto* k = head(*qkv[1], {1, 2, 0});
    const onnx::NodeProto* v = head(*qkv[2], {1, 0, 2});
    if (!q || !k || !v || headDim_ <= 0 || embed_ % headDim_) return false;
    const onnx::NodeProto* scale = next(*q, "Div");
    const onnx::NodeProto* scores = scale ? next(*scale, "MatMul") : nullptr;
    const onnx::NodeProto* softmax = scores ? next(*scores, "Softmax") : nullptr;
    const onnx::NodeProto* mixed = softmax ? next(*softmax, "MatMul") : nullptr;
    if (!mixed || graph_.resolve(scores->input(1)) != graph_.resolve(k->output(0)) ||
        graph_.resolve(mixed->input(1)) != graph_.resolve(v->output(0)) ||
        !scaledBySqrtHeadDim(*scale, q->output(0)) || !isLastAxis(*softmax))
      return false;
    const onnx::NodeProto* back = next(*mixed, "Transpose");
    const onnx::NodeProto* flat =
        back && intsAttribute(*back, "perm") == std::vector<int64_t>{1, 0, 2}
            ? next(*back, "Reshape")
            : nullptr;
    gemm_ = flat ? next(*flat, "Gemm") : nullptr;
    output_ = gemm_ ? next(*gemm_, "Reshape") : nullptr;
    return output_ != nullptr;
  }

  bool emit(const Tensor& inWeight, const Tensor& inBias) {
    const ValueInfo* outWeight = graph_.find(gemm_->input(1));
    const ValueInfo* outBias = gemm_->input_size() > 2 ? graph_.find(gemm_->input(2)) : nullptr;
    if (!outWeight || !outWeight->initializer || !outBias || !outBias->initializer ||
        intAttribute(*gemm_, "transB", 0) != 1 ||
        outWeight->constant->shape() != std::vector<int64_t>{embed_, embed_} ||
        outBias->constant->numel() != embed_)
      return false;
    // batch_first: torch transposes [N, L, E] to [L, N, E] before and back after.
    const onnx::NodeProto* before = graph_.producerOf(ctx_.node().input(0));
    const onnx::NodeProto* after = ctx_.soleConsumer(graph_.resolve(output_->output(0)));
    bool batchFirst = before && before->op_type() == "Transpose" &&
                      intsAttribute(*before, "perm") == std::vector<int64_t>{1, 0, 2} && after &&
                      after->op_type() == "Transpose" &&
                      intsAttribute(*after, "perm") == std::vector<int64_t>{1, 0, 2} &&
                      ctx_.soleConsumer(graph_.resolve(before->output(0))) == &ctx_.node();
    auto query = batchFirst ? ctx_.portOf(graph_.resolve(before->input(0))) : ctx_.port(0);
    if (!query) return false;
    NameHint hint;
    std::string name = gemm_->input(1), suffix = ".out_proj.weight";
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      hint.exact = name.substr(0, name.size() - suffix.size());
    auto id = ctx_.emit(
        "MultiheadAttention",
        {kw("embed_dim", Value::ofInt(embed_)), kw("num_heads", Value::ofInt(embed_ / headDim_)),
         kw("batch_first", Value::ofBool(batchFirst))},
        {*query, *query, *query}, hint);
    if (!id) return false;
    ctx_.setWeight(*id, "in_proj_weight", transpose2d(inWeight));
    ctx_.setWeight(*id, "in_proj_bias", inBias);
    ctx_.setWeight(*id, "out_proj.weight", *outWeight->constant);
    ctx_.setWeight(*id, "out_proj.bias", reshapedTensor(*outBias->constant, {embed_}));
    if (batchFirst) nodes_.push_back(after);
    for (const onnx::NodeProto* n : nodes_) ctx_.absorb(*n);
    ctx_.bindValue((batchFirst ? after : output_)->output(0), {*id, 0});
    return true;
  }

  ConvertContext& ctx_;
  const OnnxGraph& graph_;
  int64_t embed_ = 0, headDim_ = 0;
  std::vector<const onnx::NodeProto*> nodes_;  // absorbed when the match succeeds
  const onnx::NodeProto* gemm_ = nullptr;
  const onnx::NodeProto* output_ = nullptr;
};

}  // namespace

bool importSelfAttention(ConvertContext& ctx) { return AttentionMatcher(ctx).run(); }

}  // namespace sketch::onnx_import
