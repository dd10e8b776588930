// LSTM/GRU/RNN -> PyTorch's modules of the same names. torch writes one ONNX node per layer
// with Squeeze between them and Transposes around them for batch_first; a chain of such
// layers becomes one module with num_layers and batch_first, so that the parameters get
// PyTorch's names (weight_ih_l0, ..., bias_hh_l1). ONNX orders the gate blocks i, o, f, c
// (LSTM) and z, r, h (GRU); PyTorch i, f, g, o and r, z, n.
#include "import/families.h"
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

std::string input(const onnx::NodeProto& n, int i) { return i < n.input_size() ? n.input(i) : ""; }

class RecurrentImport {
 public:
  RecurrentImport(ConvertContext& ctx, const RecurrentKind& kind)
      : ctx_(ctx), graph_(ctx.onnx()), kind_(kind) {}

  bool run() {
    std::string problem = layerProblem(ctx_.node());
    if (!problem.empty()) return ctx_.fail(problem);
    hidden_ = intAttribute(ctx_.node(), "hidden_size", 0);
    layers_ = {&ctx_.node()};
    followStack();
    return emit();
  }

 private:
  /// Why `n` is not one layer of a PyTorch module, or "".
  std::string layerProblem(const onnx::NodeProto& n) const {
    const auto* direction = findAttribute(n, "direction");
    if (direction && direction->s() != "forward") return "only forward direction is converted";
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

  /// W [1, gates*H, I], R [1, gates*H, H] and B [1, 2*gates*H], as ONNX defines them.
  std::string weightShapeProblem(const onnx::NodeProto& n) const {
    int64_t h = intAttribute(n, "hidden_size", 0), gh = kind_.gates * h;
    const std::vector<int64_t>& w = weight(input(n, 1))->shape();
    const std::vector<int64_t>& r = weight(input(n, 2))->shape();
    bool ok =
        h > 0 && w.size() == 3 && w[0] == 1 && w[1] == gh && r == std::vector<int64_t>{1, gh, h};
    if (!input(n, 3).empty())
      ok = ok && weight(input(n, 3))->shape() == std::vector<int64_t>{1, 2 * gh};
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

  /// The Squeeze of the num_directions axis after a layer, if that is Y's only use.
  const onnx::NodeProto* squeezeAfter(const onnx::NodeProto& layer) const {
    const onnx::NodeProto* n = ctx_.soleConsumer(graph_.resolve(layer.output(0)));
    if (!n || n->op_type() != "Squeeze") return nullptr;
    const ValueInfo* axes = graph_.find(input(*n, 1));
    return axes && axes->constant && intElements(*axes->constant) == std::vector<int64_t>{1}
               ? n
               : nullptr;
  }

  bool statesUnused(const onnx::NodeProto& layer) const {
    for (int i = 1; i < layer.output_size(); ++i)
      if (!unused(layer.output(i))) return false;
    return true;
  }

  bool zeroInitialStates(const onnx::NodeProto& layer) const {
    return isZero(input(layer, 5)) && isZero(input(layer, 6));
  }

  /// Extends layers_ while layer k's squeezed output feeds only layer k+1.
  void followStack() {
    squeezes_.clear();
    for (;;) {
      const onnx::NodeProto& last = *layers_.back();
      const onnx::NodeProto* squeeze = squeezeAfter(last);
      squeezes_.push_back(squeeze);
      if (!squeeze || !statesUnused(last) || !zeroInitialStates(last)) return;
      const onnx::NodeProto* next = ctx_.soleConsumer(graph_.resolve(squeeze->output(0)));
      if (!next || next->op_type() != kind_.onnxOp || input(*next, 0) != squeeze->output(0) ||
          !layerProblem(*next).empty() || intAttribute(*next, "hidden_size", 0) != hidden_ ||
          !zeroInitialStates(*next))
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

  void setLayerWeights(NodeId id, size_t k) {
    const onnx::NodeProto& n = *layers_[k];
    int64_t gh = kind_.gates * hidden_;
    const Tensor& w = *weight(input(n, 1));
    const Tensor& r = *weight(input(n, 2));
    std::string l = "_l" + std::to_string(k);
    ctx_.setWeight(id, "weight_ih" + l, reorder(reshapedTensor(w, {gh, w.shape().back()})));
    ctx_.setWeight(id, "weight_hh" + l, reorder(reshapedTensor(r, {gh, hidden_})));
    Tensor b = input(n, 3).empty() ? filled({2 * gh}, 0.0f)
                                   : reshapedTensor(*weight(input(n, 3)), {2 * gh});
    ctx_.setWeight(id, "bias_ih" + l, reorder(rows(b, 0, gh)));
    ctx_.setWeight(id, "bias_hh" + l, reorder(rows(b, gh, 2 * gh)));
  }

  std::vector<CallArgument> arguments(bool batchFirst) const {
    const Tensor& w = *weight(input(ctx_.node(), 1));
    std::vector<CallArgument> args = {kw("input_size", Value::ofInt(w.shape().back())),
                                      kw("hidden_size", Value::ofInt(hidden_)),
                                      kw("num_layers", Value::ofInt(int64_t(layers_.size()))),
                                      kw("batch_first", Value::ofBool(batchFirst))};
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
    const onnx::NodeProto* lastSqueeze = squeezes_.back();
    const onnx::NodeProto* after =
        lastSqueeze ? ctx_.soleConsumer(graph_.resolve(lastSqueeze->output(0))) : nullptr;
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
    for (const onnx::NodeProto* s : squeezes_)
      if (s) ctx_.absorb(*s);
    if (batchFirst) {
      ctx_.absorb(*after);
      ctx_.bindValue(after->output(0), {*id, 0});
    } else if (lastSqueeze) {
      ctx_.bindValue(lastSqueeze->output(0), {*id, 0});
    } else if (!unused(layers_.back()->output(0))) {
      auto u = ctx_.emit("Unsqueeze", {kw("dim", Value::ofInt(1))}, {{*id, 0}});
      if (!u) return false;
      ctx_.bindValue(layers_.back()->output(0), {*u, 0});
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
  std::vector<const onnx::NodeProto*> squeezes_;  // after each layer, or null
};

Converter recurrent(const RecurrentKind& kind) {
  return [&kind](ConvertContext& ctx) { return RecurrentImport(ctx, kind).run(); };
}

}  // namespace

void registerRecurrentImporters(ConverterRegistry& r) {
  for (const RecurrentKind* kind : {&kLSTM, &kGRU, &kRNN})
    r.addVersions(kind->onnxOp, {7, 14}, recurrent(*kind));
}

}  // namespace sketch::onnx_import
