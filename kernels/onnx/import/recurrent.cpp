// LSTM/GRU/RNN -> PyTorch's modules of the same names. torch writes one ONNX node per layer
// with Squeeze (or, bidirectional, Transpose + Reshape) between them and Transposes around
// them for batch_first; a chain of such layers becomes one module with num_layers,
// bidirectional and batch_first, so that the parameters get PyTorch's names (weight_ih_l0,
// ..., bias_hh_l1_reverse). ONNX orders the gate blocks i, o, f, c (LSTM) and z, r, h (GRU);
// PyTorch i, f, g, o and r, z, n.
#include "import/converters.h"
#include "import/window_attrs.h"

namespace sketch::onnx_import {

namespace {

struct RecurrentKind {
  const char* onnxOp;
  const char* torchOp;
  int gates;
  std::vector<int64_t> onnxBlockOf;  // PyTorch gate block k is ONNX block onnxBlockOf[k]
  bool hasCell;
};

const RecurrentKind kLSTM{"LSTM", "LSTM", 4, {0, 2, 3, 1}, true};
const RecurrentKind kGRU{"GRU", "GRU", 3, {1, 0, 2}, false};
const RecurrentKind kRNN{"RNN", "RNN", 1, {0}, false};

// Every input and output of these ops is optional: a missing one reads as "".
std::string input(const onnx::NodeProto& n, int i) { return i < n.input_size() ? n.input(i) : ""; }
std::string output(const onnx::NodeProto& n, int i) {
  return i < n.output_size() ? n.output(i) : "";
}

class RecurrentImport {
 public:
  RecurrentImport(ConvertContext& ctx, const RecurrentKind& kind)
      : ctx_(ctx), graph_(ctx.onnx()), kind_(kind) {}

  bool run() {
    std::string problem = layerProblem(ctx_.node());
    if (!problem.empty()) return ctx_.fail(problem);
    hidden_ = intAttribute(ctx_.node(), "hidden_size", 0);
    directions_ = directions(ctx_.node());
    layers_ = {&ctx_.node()};
    followStack();
    return emit();
  }

 private:
  /// Why `n` is not one layer of a PyTorch module, or "".
  std::string layerProblem(const onnx::NodeProto& n) const {
    if (directions(n) == 0) return "direction reverse has no PyTorch counterpart";
    if (intAttribute(n, "layout", 0) != 0) return "layout=1 has no PyTorch counterpart";
    if (findAttribute(n, "clip") || intAttribute(n, "input_forget", 0))
      return "clip and input_forget have no PyTorch counterpart";
    if (kind_.onnxOp == std::string("GRU") && intAttribute(n, "linear_before_reset", 0) != 1)
      return "PyTorch's GRU is linear_before_reset=1";
    if (!weight(input(n, 1)) || !weight(input(n, 2)) ||
        (!input(n, 3).empty() && !weight(input(n, 3))))
      return "needs W, R and B as initializers";
    if (!input(n, 4).empty() || !input(n, 7).empty())
      return "sequence_lens and peepholes have no PyTorch counterpart";
    return weightShapeProblem(n);
  }

  /// 1 for forward, 2 for bidirectional, 0 for reverse (PyTorch has no reverse-only RNN).
  static int64_t directions(const onnx::NodeProto& n) {
    const auto* direction = findAttribute(n, "direction");
    if (!direction || direction->s() == "forward") return 1;
    return direction->s() == "bidirectional" ? 2 : 0;
  }

  /// W [D, gates*H, I], R [D, gates*H, H] and B [D, 2*gates*H], as ONNX defines them.
  std::string weightShapeProblem(const onnx::NodeProto& n) const {
    int64_t h = intAttribute(n, "hidden_size", 0), gh = kind_.gates * h, d = directions(n);
    const std::vector<int64_t>& w = weight(input(n, 1))->shape();
    const std::vector<int64_t>& r = weight(input(n, 2))->shape();
    bool ok =
        h > 0 && w.size() == 3 && w[0] == d && w[1] == gh && r == std::vector<int64_t>{d, gh, h};
    if (!input(n, 3).empty())
      ok = ok && weight(input(n, 3))->shape() == std::vector<int64_t>{d, 2 * gh};
    return ok ? ""
              : "W, R or B does not have the shape hidden_size " + std::to_string(h) + " implies";
  }

  const Tensor* weight(const std::string& name) const {
    const ValueInfo* v = graph_.find(name);
    return v && v->initializer && v->constant->dtype() == DType::Float32 ? &*v->constant : nullptr;
  }

  bool isZero(const std::string& name) const {
    if (name.empty()) return true;
    const ValueInfo* v = graph_.find(name);
    if (!v || !v->constant) return false;
    for (double x : floatElements(*v->constant))
      if (x != 0) return false;
    return true;
  }

  bool unused(const std::string& value) const {
    return value.empty() || (graph_.consumersOf(value).empty() && !graph_.isGraphOutput(value));
  }

  bool isSwap01(const onnx::NodeProto* n) const {
    return n && n->op_type() == "Transpose" &&
           intsAttribute(*n, "perm") == std::vector<int64_t>{1, 0, 2};
  }

  /// The nodes that turn Y [T, D, B, H] into PyTorch's output [T, B, D*H], if that is Y's
  /// only use: Squeeze of axis 1 for one direction, Transpose and Reshape for two.
  std::vector<const onnx::NodeProto*> mergeAfter(const onnx::NodeProto& layer) const {
    const onnx::NodeProto* n = ctx_.soleConsumer(graph_.resolve(output(layer, 0)));
    if (directions_ == 1) {
      if (!n || n->op_type() != "Squeeze") return {};
      const ValueInfo* axes = graph_.find(input(*n, 1));
      bool ok = axes && axes->constant && intElements(*axes->constant) == std::vector<int64_t>{1};
      return ok ? std::vector<const onnx::NodeProto*>{n} : std::vector<const onnx::NodeProto*>{};
    }
    if (!n || n->op_type() != "Transpose" ||
        intsAttribute(*n, "perm") != std::vector<int64_t>{0, 2, 1, 3})
      return {};
    const onnx::NodeProto* reshape = ctx_.soleConsumer(graph_.resolve(n->output(0)));
    const ValueInfo* out = reshape ? graph_.find(reshape->output(0)) : nullptr;
    if (!reshape || reshape->op_type() != "Reshape" || !out || !out->type ||
        out->type->rank() != 3 || out->type->dims[2] != Dim::known(2 * hidden_))
      return {};
    return {n, reshape};
  }

  bool statesUnused(const onnx::NodeProto& layer) const {
    for (int i = 1; i < layer.output_size(); ++i)
      if (!unused(layer.output(i))) return false;
    return true;
  }

  bool zeroInitialStates(const onnx::NodeProto& layer) const {
    return isZero(input(layer, 5)) && isZero(input(layer, 6));
  }

  /// Extends layers_ while layer k's merged output feeds only layer k+1.
  void followStack() {
    merges_.clear();
    for (;;) {
      const onnx::NodeProto& last = *layers_.back();
      merges_.push_back(mergeAfter(last));
      if (merges_.back().empty() || !statesUnused(last) || !zeroInitialStates(last)) return;
      const std::string& merged = merges_.back().back()->output(0);
      const onnx::NodeProto* next = ctx_.soleConsumer(graph_.resolve(merged));
      if (!next || next->op_type() != kind_.onnxOp || input(*next, 0) != merged ||
          !layerProblem(*next).empty() || intAttribute(*next, "hidden_size", 0) != hidden_ ||
          directions(*next) != directions_ || !zeroInitialStates(*next))
        return;
      layers_.push_back(next);
    }
  }

  /// PyTorch's gate order from ONNX's, for a [gates*H, ...] tensor.
  Tensor reorder(const Tensor& t) const {
    std::vector<Tensor> blocks;
    for (int64_t b : kind_.onnxBlockOf) blocks.push_back(rows(t, b * hidden_, (b + 1) * hidden_));
    return concatRows(blocks);
  }

  /// Layer k's weights; ONNX's direction 1 is PyTorch's `_reverse` set.
  void setLayerWeights(NodeId id, size_t k) {
    const onnx::NodeProto& n = *layers_[k];
    int64_t gh = kind_.gates * hidden_, d = directions_;
    const Tensor& w = *weight(input(n, 1));
    Tensor ih = reshapedTensor(w, {d * gh, w.shape().back()});
    Tensor hh = reshapedTensor(*weight(input(n, 2)), {d * gh, hidden_});
    Tensor b = input(n, 3).empty() ? filled({d * 2 * gh}, 0.0f)
                                   : reshapedTensor(*weight(input(n, 3)), {d * 2 * gh});
    for (int64_t dir = 0; dir < d; ++dir) {
      std::string l = "_l" + std::to_string(k) + (dir ? "_reverse" : "");
      ctx_.setWeight(id, "weight_ih" + l, reorder(rows(ih, dir * gh, (dir + 1) * gh)));
      ctx_.setWeight(id, "weight_hh" + l, reorder(rows(hh, dir * gh, (dir + 1) * gh)));
      ctx_.setWeight(id, "bias_ih" + l, reorder(rows(b, 2 * dir * gh, (2 * dir + 1) * gh)));
      ctx_.setWeight(id, "bias_hh" + l, reorder(rows(b, (2 * dir + 1) * gh, (2 * dir + 2) * gh)));
    }
  }

  std::vector<CallArgument> arguments(bool batchFirst) const {
    const Tensor& w = *weight(input(ctx_.node(), 1));
    std::vector<CallArgument> args = {kw("input_size", Value::ofInt(w.shape().back())),
                                      kw("hidden_size", Value::ofInt(hidden_)),
                                      kw("num_layers", Value::ofInt(int64_t(layers_.size()))),
                                      kw("batch_first", Value::ofBool(batchFirst)),
                                      kw("bidirectional", Value::ofBool(directions_ == 2))};
    const auto* activations = findAttribute(ctx_.node(), "activations");
    if (kind_.onnxOp == std::string("RNN"))
      args.push_back(
          kw("nonlinearity", Value::ofString(activations && activations->strings_size() &&
                                                     activations->strings(0) == "Relu"
                                                 ? "relu"
                                                 : "tanh")));
    return args;
  }

  bool emit() {
    const onnx::NodeProto* before = graph_.producerOf(input(ctx_.node(), 0));
    const onnx::NodeProto* lastMerge = merges_.back().empty() ? nullptr : merges_.back().back();
    const onnx::NodeProto* after =
        lastMerge ? ctx_.soleConsumer(graph_.resolve(lastMerge->output(0))) : nullptr;
    bool batchFirst =
        isSwap01(before) && ctx_.soleConsumer(before->output(0)) == &ctx_.node() && isSwap01(after);
    auto x = batchFirst ? ctx_.portOf(graph_.resolve(input(*before, 0))) : ctx_.port(0);
    if (!x) return false;
    std::vector<PortRef> inputs = {*x};
    if (layers_.size() == 1) {
      bool h = !isZero(input(ctx_.node(), 5));
      bool c = kind_.hasCell && !isZero(input(ctx_.node(), 6));
      if (c && !h)
        return ctx_.fail(
            "an initial cell state without an initial hidden state has no PyTorch counterpart");
      for (int i : {5, 6}) {
        if (!(i == 5 ? h : c)) continue;
        auto state = ctx_.port(i);
        if (!state) return false;
        inputs.push_back(*state);
      }
    }
    auto id = ctx_.emit(kind_.torchOp, arguments(batchFirst), inputs);
    if (!id) return false;
    for (size_t k = 0; k < layers_.size(); ++k) setLayerWeights(*id, k);
    for (size_t k = 1; k < layers_.size(); ++k) ctx_.absorb(*layers_[k]);
    for (const auto& merge : merges_)
      for (const onnx::NodeProto* n : merge) ctx_.absorb(*n);
    if (batchFirst) {
      ctx_.absorb(*after);
      ctx_.bindValue(after->output(0), {*id, 0});
    } else if (lastMerge) {
      ctx_.bindValue(lastMerge->output(0), {*id, 0});
    } else if (!unused(output(*layers_.back(), 0))) {
      if (directions_ == 2)
        return ctx_.fail("Y is used other than as PyTorch's [T, B, 2*H] output");
      auto u = ctx_.emit("Unsqueeze", {kw("dim", Value::ofInt(1))}, {{*id, 0}});
      if (!u) return false;
      ctx_.bindValue(output(*layers_.back(), 0), {*u, 0});
    }
    if (layers_.size() == 1)
      for (int i = 1; i < ctx_.node().output_size(); ++i) ctx_.setOutput(i, {*id, uint32_t(i)});
    return true;
  }

  ConvertContext& ctx_;
  const OnnxGraph& graph_;
  const RecurrentKind& kind_;
  int64_t hidden_ = 0;
  std::vector<const onnx::NodeProto*> layers_;
  int64_t directions_ = 1;
  /// After each layer, the nodes that merge its directions (empty when there are none).
  std::vector<std::vector<const onnx::NodeProto*>> merges_;
};

}  // namespace

bool importRecurrent(ConvertContext& ctx, const OnnxOp& row) {
  for (const RecurrentKind* kind : {&kLSTM, &kGRU, &kRNN})
    if (row.foreign == kind->onnxOp) return RecurrentImport(ctx, *kind).run();
  return ctx.fail("has no recurrent layout");  // a table row this file does not know
}

}  // namespace sketch::onnx_import
