// Recurrent layers (torch.nn.RNN, LSTM, GRU). One description covers the three: they differ
// in the number of gates, LSTM's cell state and LSTM's optional projection (proj_size).
// Inputs are [L, N, H_in] ([N, L, H_in] with batch_first) or unbatched [L, H_in].
#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/op_helpers.h"

namespace sketch {

namespace {

struct Recurrent {
  const char* name;
  int gates;     // gate blocks stacked in the weights (i, f, g, o for LSTM)
  bool hasCell;  // LSTM: c_0 in, c_n out
};

constexpr Recurrent kRNN{"RNN", 1, false};
constexpr Recurrent kLSTM{"LSTM", 4, true};
constexpr Recurrent kGRU{"GRU", 3, false};

// Every layer is a set of parameter tensors: a sketch must not be able to ask for billions.
constexpr int64_t kMaxLayers = 4096;

/// Sizes of one configuration, read from resolved attributes.
struct RecurrentSizes {
  int64_t inputSize, hidden, layers, proj, directions;
  bool bias;
  int64_t stateSize() const { return proj > 0 ? proj : hidden; }  // h's last dim
  /// Features into `layer`: the input's, then the previous layer's in every direction.
  int64_t layerInput(int64_t layer) const {
    return layer == 0 ? inputSize : saturatingProduct({stateSize(), directions});
  }
};

RecurrentSizes sizesOf(const Attrs& attrs) {
  return {intOr(attrs, "input_size", 0),
          attrs.at("hidden_size").asInt(),
          attrs.at("num_layers").asInt(),
          intOr(attrs, "proj_size", 0),
          attrs.at("bidirectional").asBool() ? 2 : 1,
          attrs.at("bias").asBool()};
}

bool checkConfiguration(ShapeContext& ctx, const RecurrentSizes& s) {
  if (s.hidden <= 0)
    ctx.attrError("hidden_size",
                  ctx.label() + " needs hidden_size > 0, but got " + std::to_string(s.hidden));
  if (s.layers <= 0 || s.layers > kMaxLayers)
    ctx.attrError("num_layers", ctx.label() + " needs num_layers from 1 to " +
                                    std::to_string(kMaxLayers) + ", but got " +
                                    std::to_string(s.layers));
  if (s.proj < 0 || (s.proj > 0 && s.proj >= s.hidden)) {
    ctx.attrError("proj_size", ctx.label() + " needs 0 <= proj_size < hidden_size (" +
                                   std::to_string(s.hidden) + "), but got " +
                                   std::to_string(s.proj));
  }
  double dropout = ctx.getFloat("dropout");
  if (dropout < 0 || dropout > 1)
    ctx.attrError("dropout", ctx.label() + " needs dropout in [0, 1], but got " +
                                 ctx.attr("dropout").toString());
  return ctx.ok();
}

/// Checks a linked initial state against the shape PyTorch expects.
bool checkState(ShapeContext& ctx, size_t input, const std::vector<Dim>& expected) {
  if (!ctx.hasInput(input) || ctx.input(input).dims == expected) return true;
  const std::string& port = ctx.op().inputs()[input].name;
  ctx.inputError(input, ctx.label() + " expects " + port + " of shape " + dimsString(expected) +
                            ", but " + ctx.describeInput(input));
  return false;
}

void inferRecurrent(ShapeContext& ctx, const Recurrent& kind) {
  if (!ctx.expectRank(0, {2, 3})) return;
  const TensorType& in = ctx.input(0);
  if (!ctx.inferInt("input_size", in.dims.back(), 0, "input features")) return;
  RecurrentSizes s = sizesOf(ctx.attrs());
  if (!checkConfiguration(ctx, s)) return;
  std::vector<Dim> batch;
  if (in.rank() == 3) batch.push_back(in.dims[ctx.getBool("batch_first") ? 0 : 1]);

  auto stateShape = [&](int64_t size) {
    std::vector<Dim> dims{Dim::known(s.layers) * s.directions};
    dims.insert(dims.end(), batch.begin(), batch.end());
    dims.push_back(Dim::known(size));
    return dims;
  };
  std::vector<Dim> hShape = stateShape(s.stateSize()), cShape = stateShape(s.hidden);
  if (kind.hasCell && ctx.hasInput(1) != ctx.hasInput(2)) {
    return ctx.error(ctx.label() + " takes its initial state as h_0 and c_0 together",
                     "link both h_0 and c_0, or neither");
  }
  bool statesOk = checkState(ctx, 1, hShape);
  if (kind.hasCell) statesOk = checkState(ctx, 2, cShape) && statesOk;
  if (!statesOk) return;

  // The output keeps the input's layout; only the features change.
  std::vector<Dim> out = in.dims;
  out.back() = Dim::known(s.stateSize()) * s.directions;
  ctx.setOutput(0, TensorType::of(in.dtype, out));
  ctx.setOutput(1, TensorType::of(in.dtype, hShape));
  if (kind.hasCell) ctx.setOutput(2, TensorType::of(in.dtype, cShape));
}

/// PyTorch's flat weight order: per layer, per direction: w_ih, w_hh, b_ih, b_hh, w_hr.
std::vector<ParamSpec> recurrentParams(const Attrs& attrs, const Recurrent& kind) {
  RecurrentSizes s = sizesOf(attrs);
  int64_t gateSize = saturatingProduct({kind.gates, s.hidden});  // too large: reported as such
  Init init = fanInUniform(s.hidden);
  std::vector<ParamSpec> params;
  auto add = [&](const std::string& name, std::vector<int64_t> shape) {
    params.push_back(parameter(name, std::move(shape), init));
  };
  for (int64_t layer = 0; layer < s.layers; ++layer) {
    for (int64_t direction = 0; direction < s.directions; ++direction) {
      std::string suffix = "_l" + std::to_string(layer) + (direction ? "_reverse" : "");
      add("weight_ih" + suffix, {gateSize, s.layerInput(layer)});
      add("weight_hh" + suffix, {gateSize, s.stateSize()});
      if (s.bias) {
        add("bias_ih" + suffix, {gateSize});
        add("bias_hh" + suffix, {gateSize});
      }
      if (s.proj > 0) add("weight_hr" + suffix, {s.proj, s.hidden});
    }
  }
  return params;
}

/// Per time step and sample: the input and hidden matmuls of every gate, plus projection.
int64_t recurrentMacs(const Attrs& attrs, const std::vector<TensorType>& inputs,
                      const Recurrent& kind) {
  RecurrentSizes s = sizesOf(attrs);
  int64_t gateSize = saturatingProduct({kind.gates, s.hidden});
  int64_t perStep = 0;
  for (int64_t layer = 0; layer < s.layers; ++layer) {
    int64_t gates =
        saturatingProduct({gateSize, saturatingSum({s.layerInput(layer), s.stateSize()})});
    int64_t projection = saturatingProduct({s.proj, s.hidden});
    int64_t perDirection = saturatingSum({gates, projection});
    perStep = saturatingSum({perStep, saturatingProduct({s.directions, perDirection})});
  }
  const TensorType& in = inputs[0];
  int64_t steps = in.rank() == 3 ? saturatingProduct({sizeOrOne(in.dims[0]), sizeOrOne(in.dims[1])})
                                 : sizeOrOne(in.dims[0]);
  return saturatingProduct({steps, perStep});
}

OpDef recurrentOp(const Recurrent& kind, const std::string& doc) {
  OpDef op(kind.name, doc);
  op.category("recurrent")
      .impliedInput(impliesSequenceInput("input_size"))
      .inferred("input_size", AttrType::Int, "features of the input (its last dim)")
      .required("hidden_size", AttrType::Int, "features of the hidden state")
      .optional("num_layers", AttrType::Int, Value::ofInt(1), "stacked layers")
      .optional("bias", AttrType::Bool, Value::ofBool(true), "add bias_ih and bias_hh")
      .optional("batch_first", AttrType::Bool, Value::ofBool(false), "input is [N, L, H_in]")
      .optional("dropout", AttrType::Float, Value::ofFloat(0.0), "dropout between layers")
      .optional("bidirectional", AttrType::Bool, Value::ofBool(false), "also run backwards");
  op.input("input").input("h_0", true);
  if (kind.hasCell) op.input("c_0", true);
  op.output("output").output("h_n");
  if (kind.hasCell) op.output("c_n");
  op.shape([kind](ShapeContext& ctx) { inferRecurrent(ctx, kind); })
      .params([kind](const Attrs& attrs) { return recurrentParams(attrs, kind); })
      .macs([kind](const Attrs& attrs, const std::vector<TensorType>& in,
                   const std::vector<TensorType>&) { return recurrentMacs(attrs, in, kind); });
  return op;
}

}  // namespace

void registerRecurrentOps(OpCatalogue& catalogue) {
  // nn.RNN takes nonlinearity only as a keyword, so it follows RNNBase's positional order.
  AttrDef nonlinearity = choiceAttr("nonlinearity", Value::ofString("tanh"), {"tanh", "relu"},
                                    "activation of the hidden state");
  catalogue.add(recurrentOp(kRNN, "Elman RNN with tanh or ReLU").attr(nonlinearity));
  catalogue.add(recurrentOp(kLSTM, "long short-term memory layer")
                    .optional("proj_size", AttrType::Int, Value::ofInt(0),
                              "project h to this size; 0 for none"));
  catalogue.add(recurrentOp(kGRU, "gated recurrent unit layer"));
}

}  // namespace sketch
