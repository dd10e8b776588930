// RNN, LSTM and GRU as ONNX's own recurrent ops, one per layer. PyTorch stacks its gate
// blocks in another order than ONNX (LSTM i,f,g,o vs i,o,f,c; GRU r,z,n vs z,r,h), so the
// weights are reordered into derived initializers; both directions stack in dim 0. ONNX runs
// [L, N, ...] sequences: batch_first and unbatched inputs are transposed or unsqueezed around
// the layers, and the per-layer states are concatenated into torch's h_n and c_n.
#include <cstring>

#include "emitters.h"

namespace sketch {

namespace {

struct GateLayout {
  const char* onnxOp;
  std::vector<int> torchBlocks;  // ONNX gate k is torch's gate block torchBlocks[k]
  bool hasCell;
};

const GateLayout kGateLayouts[] = {
    {"RNN", {0}, false},
    {"LSTM", {0, 3, 1, 2}, true},
    {"GRU", {1, 0, 2}, false},
};

const GateLayout& gateLayout(const std::string& onnxOp) {
  for (const GateLayout& g : kGateLayouts)
    if (onnxOp == g.onnxOp) return g;
  return kGateLayouts[0];
}

/// Per-direction torch tensors reordered by gate and stacked: [dirs, gates * H, ...].
/// `parts` lists, per direction, the tensors concatenated along dim 0 of each gate (the
/// bias case joins bias_ih and bias_hh as ONNX's [Wb, Rb]).
Tensor stackGates(const std::vector<std::vector<const Tensor*>>& parts, const GateLayout& layout) {
  const Tensor& first = *parts[0][0];
  size_t gates = layout.torchBlocks.size();
  std::vector<int64_t> shape = first.shape();
  shape[0] *= static_cast<int64_t>(parts[0].size());
  shape.insert(shape.begin(), static_cast<int64_t>(parts.size()));
  Tensor out = *Tensor::zeros(first.dtype(), shape);
  uint8_t* dst = out.mutableData();
  for (const auto& direction : parts) {
    for (const Tensor* t : direction) {
      size_t block = t->byteSize() / gates;
      for (size_t k = 0; k < gates; ++k, dst += block)
        std::memcpy(dst, t->data() + layout.torchBlocks[k] * block, block);
    }
  }
  return out;
}

std::string transposed(EmitContext& ctx, const std::string& x, std::vector<int64_t> perm) {
  std::string out = ctx.fresh("Transpose");
  setInts(ctx.add("Transpose", {x}, {out}), "perm", perm);
  return out;
}

/// Layer `layer`'s slice [dirs, N, H] of torch's initial state [layers * dirs, N, H].
std::string layerState(EmitContext& ctx, const std::string& state, int64_t layer, int64_t dirs) {
  if (state.empty()) return "";
  return ctx.op("Slice",
                {state, ctx.ints({layer * dirs}), ctx.ints({(layer + 1) * dirs}), ctx.ints({0})});
}

/// ONNX's W, R and B ("" without bias) of one layer, from torch's per-direction tensors.
std::vector<std::string> layerWeights(EmitContext& ctx, const GateLayout& layout, int64_t layer,
                                      int64_t dirs, bool bias) {
  std::vector<std::vector<const Tensor*>> w, r, b;
  for (int64_t d = 0; d < dirs; ++d) {
    std::string suffix = "_l" + std::to_string(layer) + (d ? "_reverse" : "");
    w.push_back({&ctx.weight("weight_ih" + suffix)});
    r.push_back({&ctx.weight("weight_hh" + suffix)});
    if (bias) b.push_back({&ctx.weight("bias_ih" + suffix), &ctx.weight("bias_hh" + suffix)});
  }
  std::string l = "_l" + std::to_string(layer);
  return {ctx.derived("W" + l, stackGates(w, layout)), ctx.derived("R" + l, stackGates(r, layout)),
          bias ? ctx.derived("B" + l, stackGates(b, layout)) : ""};
}

}  // namespace

bool supportsRecurrent(const Node& node) {
  auto proj = node.attrs.find("proj_size");
  // ONNX's LSTM has no projection of h.
  return proj == node.attrs.end() || proj->second.isNone() || proj->second.asInt() == 0;
}

void emitRecurrent(EmitContext& ctx, const OnnxOp& row) {
  const GateLayout& layout = gateLayout(row.foreign);
  bool batched = ctx.inputType(0).rank() == 3, batchFirst = ctx.getBool("batch_first");
  int64_t hidden = ctx.getInt("hidden_size"), layers = ctx.getInt("num_layers");
  int64_t dirs = ctx.getBool("bidirectional") ? 2 : 1;
  bool bias = ctx.getBool("bias");
  // Everything below runs on [L, N, features] and states [layers * dirs, N, H].
  auto batchState = [&](size_t port) -> std::string {
    if (!ctx.hasInput(port)) return "";
    return batched ? ctx.input(port) : ctx.op("Unsqueeze", {ctx.input(port), ctx.ints({1})});
  };
  std::string x = ctx.input(0);
  if (!batched) x = ctx.op("Unsqueeze", {x, ctx.ints({1})});
  if (batched && batchFirst) x = transposed(ctx, x, {1, 0, 2});
  std::string h0 = batchState(1), c0 = layout.hasCell ? batchState(2) : "";
  std::vector<std::string> hn, cn;
  for (int64_t layer = 0; layer < layers; ++layer) {
    std::string l = "_l" + std::to_string(layer);
    std::vector<std::string> inputs{x};
    for (const std::string& weights : layerWeights(ctx, layout, layer, dirs, bias))
      inputs.push_back(weights);
    inputs.push_back("");  // sequence_lens: every sequence is full length
    inputs.push_back(layerState(ctx, h0, layer, dirs));
    if (layout.hasCell) inputs.push_back(layerState(ctx, c0, layer, dirs));
    std::vector<std::string> outputs{ctx.fresh("Y" + l), ctx.fresh("Y_h" + l)};
    if (layout.hasCell) outputs.push_back(ctx.fresh("Y_c" + l));
    onnx::NodeProto& n = ctx.add(row.foreign, inputs, outputs);
    setInt(n, "hidden_size", hidden);
    setString(n, "direction", dirs == 2 ? "bidirectional" : "forward");
    if (layout.onnxOp == std::string("GRU")) setInt(n, "linear_before_reset", 1);
    if (layout.onnxOp == std::string("RNN")) {
      std::string act = ctx.getString("nonlinearity") == "relu" ? "Relu" : "Tanh";
      setStrings(n, "activations", std::vector<std::string>(size_t(dirs), act));
    }
    // Y [L, dirs, N, H] -> [L, N, dirs * H], the next layer's input, as torch writes it.
    x = dirs == 1 ? ctx.op("Squeeze", {outputs[0], ctx.ints({1})})
                  : ctx.op("Reshape", {transposed(ctx, outputs[0], {0, 2, 1, 3}),
                                       ctx.ints({0, 0, -1})});
    hn.push_back(outputs[1]);
    if (layout.hasCell) cn.push_back(outputs[2]);
  }
  if (batched && batchFirst) x = transposed(ctx, x, {1, 0, 2});
  auto finish = [&](const std::vector<std::string>& pieces, size_t port) {
    std::string joined = pieces.front();
    if (pieces.size() > 1) {
      joined = ctx.fresh("Concat");
      setInt(ctx.add("Concat", pieces, {joined}), "axis", 0);
    }
    if (batched) return ctx.opTo("Identity", {joined}, ctx.output(port));
    ctx.opTo("Squeeze", {joined, ctx.ints({1})}, ctx.output(port));
  };
  if (batched)
    ctx.opTo("Identity", {x}, ctx.output(0));
  else
    ctx.opTo("Squeeze", {x, ctx.ints({1})}, ctx.output(0));
  finish(hn, 1);
  if (layout.hasCell) finish(cn, 2);
}

}  // namespace sketch
