#include "script_import_table.h"

#include <limits>

namespace sketch {

std::vector<CallArgument> moduleArguments(const OpDef& op, const TorchOp& row,
                                          const ScriptModuleView& module) {
  std::vector<CallArgument> out;
  for (const AttrDef& attr : op.attrs()) {
    std::optional<Value> value = module.value(attr.name);
    // torch.nn registers `bias` as a parameter, or as None when there is none.
    if (attr.name == "bias" && module.has(attr.name) && (!value || value->isNone()))
      value = Value::ofBool(module.hasTensor(attr.name));
    // Per-class weights of the losses are buffers.
    if (attr.type == AttrType::Floats && !value && module.hasTensor(attr.name))
      value = module.tensorValues(attr.name);
    if (const AttrMapping* mapped = row.findAttr(attr.name); mapped && !value) {
      value = module.value(mapped->theirs);
      if (value && mapped->toOurs) value = mapped->toOurs(*value);
    }
    for (const auto& [flag, tensor] : row.presence)
      if (flag == attr.name) value = Value::ofBool(module.hasTensor(tensor));
    if (value) out.push_back({attr.name, *value});
  }
  return out;
}

bool recordsArguments(const OpDef& op, const ScriptModuleView& module) {
  for (const AttrDef& attr : op.attrs()) {
    std::optional<Value> value = module.value(attr.name);
    if (value && !value->isNone()) return true;
  }
  return false;
}

namespace {

using Arguments = std::vector<CallArgument>;

/// A traced call's arguments: `param(i)` is the shape of the tensor argument i reads (empty
/// when none), `constant(i)` its value.
struct CallArguments {
  const TracedCall& call;
  const ScriptModuleView& module;
  std::vector<int64_t> param(size_t i) const {
    return i < call.params.size() && !call.params[i].empty() ? module.tensorShape(call.params[i])
                                                             : std::vector<int64_t>{};
  }
  bool has(size_t i) const { return i < call.params.size() && !call.params[i].empty(); }
  Value constant(size_t i) const {
    return i < call.constants.size() && call.constants[i] ? *call.constants[i] : Value::none();
  }
};

/// Parameter-free modules make the same calls as forward code (aten::max_pool2d).
std::optional<Arguments> forwardCodeArguments(const TracedCall& call) {
  auto found = findAtenCall(call.kind, call.constants.size());
  if (!found) return std::nullopt;
  const AtenCall& signature = *found->second;
  Arguments a;
  for (size_t i = 0; i < signature.args.size(); ++i)
    if (signature.args[i].role == AtenArgRole::Attr)
      a.push_back({signature.args[i].attr, i < call.constants.size() && call.constants[i]
                                               ? *call.constants[i]
                                               : Value::none()});
  if (signature.adjust) signature.adjust(a);
  return a;
}

}  // namespace

std::optional<Arguments> tracedConvolution(const TracedCall& call, const ScriptModuleView& module) {
  CallArguments r{call, module};
  std::vector<int64_t> w = r.param(1);
  if (call.kind != "aten::_convolution" || w.size() < 3) return std::nullopt;
  bool transposed = r.constant(6).isBool() && r.constant(6).asBool();
  int64_t groups = r.constant(8).isInt() ? r.constant(8).asInt() : 1;
  int64_t in = transposed ? w[0] : w[1] * groups, out = transposed ? w[1] * groups : w[0];
  Arguments a = {{"in_channels", Value::ofInt(in)},       {"out_channels", Value::ofInt(out)},
                 {"kernel_size", Value::ofInts({w.begin() + 2, w.end()})},
                 {"stride", r.constant(3)},               {"padding", r.constant(4)},
                 {"dilation", r.constant(5)},             {"groups", Value::ofInt(groups)},
                 {"bias", Value::ofBool(r.has(2))}};
  if (transposed) a.push_back({"output_padding", r.constant(7)});
  return a;
}

std::optional<Arguments> tracedLinear(const TracedCall& call, const ScriptModuleView& module) {
  CallArguments r{call, module};
  if (call.kind != "aten::linear" || r.param(1).size() != 2) return std::nullopt;
  return Arguments{{"in_features", Value::ofInt(r.param(1)[1])},
                   {"out_features", Value::ofInt(r.param(1)[0])},
                   {"bias", Value::ofBool(r.has(2))}};
}

std::optional<Arguments> tracedBatchNorm(const TracedCall& call, const ScriptModuleView& module) {
  CallArguments r{call, module};
  if (call.kind != "aten::batch_norm") return std::nullopt;
  std::vector<int64_t> stats = r.has(3) ? r.param(3) : r.param(1);
  if (stats.empty()) return std::nullopt;
  return Arguments{{"num_features", Value::ofInt(stats[0])}, {"eps", r.constant(7)},
                   {"momentum", r.constant(6)},           {"affine", Value::ofBool(r.has(1))},
                   {"track_running_stats", Value::ofBool(r.has(3))}};
}

std::optional<Arguments> tracedLayerNorm(const TracedCall& call, const ScriptModuleView& module) {
  CallArguments r{call, module};
  if (call.kind != "aten::layer_norm") return std::nullopt;
  return Arguments{{"normalized_shape", r.constant(1)}, {"eps", r.constant(4)},
                   {"elementwise_affine", Value::ofBool(r.has(2))}};
}

std::optional<Arguments> tracedEmbedding(const TracedCall& call, const ScriptModuleView& module) {
  CallArguments r{call, module};
  if (call.kind != "aten::embedding" || r.param(0).size() != 2) return std::nullopt;
  Value padding = r.constant(2);
  if (padding.isInt() && padding.asInt() < 0) padding = Value::none();
  return Arguments{{"num_embeddings", Value::ofInt(r.param(0)[0])},
                   {"embedding_dim", Value::ofInt(r.param(0)[1])},
                   {"padding_idx", padding}};
}

std::optional<Arguments> tracedRecurrent(const TracedCall& call, const ScriptModuleView& module) {
  if (call.kind != "aten::lstm" && call.kind != "aten::gru") return std::nullopt;
  // (input, hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first)
  CallArguments r{call, module};
  std::vector<int64_t> ih = module.tensorShape("weight_ih_l0");
  std::vector<int64_t> hh = module.tensorShape("weight_hh_l0");
  if (ih.size() != 2 || hh.size() != 2) return std::nullopt;
  return Arguments{{"input_size", Value::ofInt(ih[1])}, {"hidden_size", Value::ofInt(hh[1])},
                   {"num_layers", r.constant(4)},       {"bias", r.constant(3)},
                   {"batch_first", r.constant(8)},      {"dropout", r.constant(5)},
                   {"bidirectional", r.constant(7)}};
}

std::optional<std::vector<CallArgument>> tracedArguments(const OpDef& op, const TorchOp& row,
                                                         const TracedCall& call,
                                                         const ScriptModuleView& module) {
  std::optional<Arguments> arguments =
      row.traced ? row.traced(call, module) : forwardCodeArguments(call);
  if (!arguments) return std::nullopt;
  Arguments known;  // only what the op declares (aten::lstm's batch_first is also LSTM's)
  for (CallArgument& a : *arguments)
    if (op.findAttr(a.keyword)) known.push_back(std::move(a));
  return known;
}

bool isWholeSlice(const std::vector<CallArgument>& arguments) {
  for (const CallArgument& a : arguments) {
    if (a.keyword == "start" && !a.value.isNone() && !(a.value.isInt() && a.value.asInt() == 0))
      return false;
    if (a.keyword == "end" && !a.value.isNone()) return false;
    if (a.keyword == "step" && !(a.value.isInt() && a.value.asInt() == 1)) return false;
  }
  return true;
}

namespace {

// c10::ScalarType codes, as TorchScript passes dtype= arguments.
const std::pair<int64_t, const char*> kScalarTypes[] = {
    {0, "uint8"},   {1, "int8"},    {2, "int16"}, {3, "int32"},    {4, "int64"},
    {5, "float16"}, {6, "float32"}, {7, "float64"}, {11, "bool"}, {15, "bfloat16"}};

}  // namespace

std::optional<int64_t> scalarTypeCode(const std::string& dtype) {
  for (const auto& [code, name] : kScalarTypes)
    if (dtype == name) return code;
  return std::nullopt;
}

void dtypeCode(std::vector<CallArgument>& arguments) {
  for (CallArgument& a : arguments) {
    if (a.keyword != "dtype" || !a.value.isInt()) continue;
    for (const auto& [code, name] : kScalarTypes)
      if (a.value.asInt() == code) a.value = Value::ofString(name);
  }
}

void singleDim(std::vector<CallArgument>& arguments) {
  for (CallArgument& a : arguments)
    if (a.keyword == "dim" && a.value.isList() && a.value.asList().size() == 1)
      a.value = a.value.asList()[0];
}

void openEnd(std::vector<CallArgument>& arguments) {
  for (CallArgument& a : arguments)
    if (a.keyword == "end" && a.value.isInt() &&
        a.value.asInt() == std::numeric_limits<int64_t>::max())
      a.value = Value::none();
}

void inPlace(std::vector<CallArgument>& arguments) {
  arguments.push_back({"inplace", Value::ofBool(true)});
}

}  // namespace sketch
