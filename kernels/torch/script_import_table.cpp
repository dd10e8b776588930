#include "script_import_table.h"

#include <cstring>
#include <limits>

namespace sketch {

namespace {

/// Where torch.nn keeps a constructor argument under another name.
struct AttributeSource {
  const char* op;
  const char* attr;
  const char* path;
};

const AttributeSource kSources[] = {
    {"TransformerEncoderLayer", "d_model", "self_attn.embed_dim"},
    {"TransformerEncoderLayer", "nhead", "self_attn.num_heads"},
    {"TransformerEncoderLayer", "dim_feedforward", "linear1.out_features"},
    {"TransformerEncoderLayer", "dropout", "dropout.p"},
    {"TransformerEncoderLayer", "layer_norm_eps", "norm1.eps"},
    {"TransformerEncoderLayer", "batch_first", "self_attn.batch_first"},
    {"TransformerDecoderLayer", "d_model", "self_attn.embed_dim"},
    {"TransformerDecoderLayer", "nhead", "self_attn.num_heads"},
    {"TransformerDecoderLayer", "dim_feedforward", "linear1.out_features"},
    {"TransformerDecoderLayer", "dropout", "dropout.p"},
    {"TransformerDecoderLayer", "layer_norm_eps", "norm1.eps"},
    {"TransformerDecoderLayer", "batch_first", "self_attn.batch_first"},
};

/// Flags that torch.nn records as whether a tensor is set.
const AttributeSource kPresence[] = {
    {"MultiheadAttention", "bias", "in_proj_bias"},
    {"MultiheadAttention", "add_bias_kv", "bias_k"},
};

std::optional<Value> fromSources(const OpDef& op, const AttrDef& attr, const ScriptModuleView& m) {
  for (const AttributeSource& s : kSources)
    if (op.name() == s.op && attr.name == s.attr) return m.value(s.path);
  for (const AttributeSource& s : kPresence)
    if (op.name() == s.op && attr.name == s.attr) return Value::ofBool(m.hasTensor(s.path));
  // The transformer layers keep their activation as a function plus this code.
  if (attr.name == "activation" && m.value("activation_relu_or_gelu")) {
    int64_t code = m.value("activation_relu_or_gelu")->asInt();
    if (code == 1) return Value::ofString("relu");
    if (code == 2) return Value::ofString("gelu");
  }
  return std::nullopt;
}

void dtypeCode(std::vector<CallArgument>& arguments) {
  // c10::ScalarType codes, as TorchScript passes dtype= arguments.
  static const char* const kNames[] = {"uint8", "int8", "int16", "int32", "int64", "float16",
                                       "float32", "float64"};
  for (CallArgument& a : arguments)
    if (a.keyword == "dtype" && a.value.isInt() && a.value.asInt() >= 0 && a.value.asInt() < 8)
      a.value = Value::ofString(kNames[a.value.asInt()]);
}

/// torch.mean(x, [1]) is Mean(dim=1): a single dim prints as a number.
void singleDim(std::vector<CallArgument>& arguments) {
  for (CallArgument& a : arguments)
    if (a.keyword == "dim" && a.value.isList() && a.value.asList().size() == 1)
      a.value = a.value.asList()[0];
}

/// Python slicing ends at sys.maxsize when no end is written.
void openEnd(std::vector<CallArgument>& arguments) {
  for (CallArgument& a : arguments)
    if (a.keyword == "end" && a.value.isInt() && a.value.asInt() == std::numeric_limits<int64_t>::max())
      a.value = Value::none();
}

/// relu_ and hardtanh_ are ReLU(inplace=True) and ReLU6(inplace=True) in traced modules.
void inPlace(std::vector<CallArgument>& arguments) { arguments.push_back({"inplace", Value::ofBool(true)}); }

constexpr AtenArg in{AtenArgRole::Input};
constexpr AtenArg ins{AtenArgRole::Inputs};
constexpr AtenArg ignore{AtenArgRole::Ignore};
constexpr AtenArg attr(const char* name) { return {AtenArgRole::Attr, name}; }

const std::vector<AtenFunction>& atenFunctions() {
  static const std::vector<AtenFunction> table = {
      {"aten::add", "Add", {in, in, attr("alpha")}},
      {"aten::add_", "Add", {in, in, attr("alpha")}},
      {"aten::sub", "Sub", {in, in, attr("alpha")}},
      {"aten::sub_", "Sub", {in, in, attr("alpha")}},
      {"aten::mul", "Mul", {in, in}},
      {"aten::mul_", "Mul", {in, in}},
      {"aten::div", "Div", {in, in}},
      {"aten::div", "Div", {in, in, attr("rounding_mode")}},
      {"aten::pow", "Pow", {in, attr("exponent")}},
      {"aten::sqrt", "Sqrt", {in}},
      {"aten::exp", "Exp", {in}},
      {"aten::log", "Log", {in}},
      {"aten::erf", "Erf", {in}},
      {"aten::clamp", "Clamp", {in, attr("min"), attr("max")}},
      {"aten::where", "Where", {in, in, in}},
      {"aten::matmul", "MatMul", {in, in}},
      {"aten::cat", "Concat", {ins, attr("dim")}},
      {"aten::split", "Split", {in, attr("split_size_or_sections"), attr("dim")}},
      {"aten::chunk", "Chunk", {in, attr("chunks"), attr("dim")}},
      {"aten::reshape", "Reshape", {in, attr("shape")}},
      {"aten::view", "Reshape", {in, attr("shape")}},
      {"aten::permute", "Permute", {in, attr("dims")}},
      {"aten::transpose", "Transpose", {in, attr("dim0"), attr("dim1")}},
      {"aten::squeeze", "Squeeze", {in}},
      {"aten::squeeze", "Squeeze", {in, attr("dim")}},
      {"aten::unsqueeze", "Unsqueeze", {in, attr("dim")}},
      {"aten::slice", "Slice", {in, attr("dim"), attr("start"), attr("end"), attr("step")}, openEnd},
      {"aten::select", "Select", {in, attr("dim"), attr("index")}},
      {"aten::mean", "Mean", {in, ignore}},
      {"aten::mean", "Mean", {in, attr("dim"), attr("keepdim"), ignore}, singleDim},
      {"aten::sum", "Sum", {in, ignore}},
      {"aten::sum", "Sum", {in, attr("dim"), attr("keepdim"), ignore}, singleDim},
      {"aten::max", "Max", {in}},
      {"aten::max", "Max", {in, attr("dim"), attr("keepdim")}},
      {"aten::tensor", "Constant", {attr("value"), attr("dtype"), ignore, ignore}, dtypeCode},
      {"aten::flatten", "Flatten", {in, attr("start_dim"), attr("end_dim")}},
      {"aten::adaptive_avg_pool1d", "AdaptiveAvgPool1d", {in, attr("output_size")}},
      {"aten::adaptive_avg_pool2d", "AdaptiveAvgPool2d", {in, attr("output_size")}},
      {"aten::adaptive_avg_pool3d", "AdaptiveAvgPool3d", {in, attr("output_size")}},
      {"aten::max_pool2d", "MaxPool2d",
       {in, attr("kernel_size"), attr("stride"), attr("padding"), attr("dilation"), attr("ceil_mode")}},
      {"aten::avg_pool2d", "AvgPool2d",
       {in, attr("kernel_size"), attr("stride"), attr("padding"), attr("ceil_mode"),
        attr("count_include_pad"), attr("divisor_override")}},
      {"aten::relu", "ReLU", {in}},
      {"aten::relu_", "ReLU", {in}, inPlace},
      {"aten::sigmoid", "Sigmoid", {in}},
      {"aten::tanh", "Tanh", {in}},
      {"aten::silu", "SiLU", {in}},
      {"aten::gelu", "GELU", {in, attr("approximate")}},
      {"aten::hardtanh", "Hardtanh", {in, attr("min_val"), attr("max_val")}},
      {"aten::hardtanh_", "Hardtanh", {in, attr("min_val"), attr("max_val")}, inPlace},
      {"aten::softmax", "Softmax", {in, attr("dim"), ignore}},
      {"aten::log_softmax", "LogSoftmax", {in, attr("dim"), ignore}},
      {"aten::dropout", "Dropout", {in, attr("p"), ignore}},
      {"aten::contiguous", nullptr, {in, ignore}},
      {"aten::detach", nullptr, {in}},
      {"aten::clone", nullptr, {in, ignore}},
  };
  return table;
}

}  // namespace

std::vector<CallArgument> moduleArguments(const OpDef& op, const ScriptModuleView& module) {
  std::vector<CallArgument> out;
  for (const AttrDef& attr : op.attrs()) {
    std::optional<Value> value = module.value(attr.name);
    // torch.nn registers `bias` as a parameter, or as None when there is none.
    if (attr.type == AttrType::Bool && module.has(attr.name) && (!value || value->isNone()))
      value = Value::ofBool(module.hasTensor(attr.name));
    if (!value) value = fromSources(op, attr, module);
    if (value) out.push_back({attr.name, *value});
  }
  return out;
}

namespace {

using Arguments = std::vector<CallArgument>;

/// Reads a traced call: `param(i)` is the shape of the tensor argument i reads (empty when
/// none), `constant(i)` its value.
struct TracedReader {
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

std::optional<Arguments> tracedConvolution(const TracedReader& r) {
  std::vector<int64_t> w = r.param(1);
  if (w.size() < 3) return std::nullopt;
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

std::optional<Arguments> tracedCall(const TracedReader& r) {
  const std::string& kind = r.call.kind;
  if (kind == "aten::_convolution") return tracedConvolution(r);
  if (kind == "aten::linear" && r.param(1).size() == 2)
    return Arguments{{"in_features", Value::ofInt(r.param(1)[1])},
                     {"out_features", Value::ofInt(r.param(1)[0])},
                     {"bias", Value::ofBool(r.has(2))}};
  if (kind == "aten::batch_norm") {
    std::vector<int64_t> stats = r.has(3) ? r.param(3) : r.param(1);
    if (stats.empty()) return std::nullopt;
    return Arguments{{"num_features", Value::ofInt(stats[0])}, {"eps", r.constant(7)},
                     {"momentum", r.constant(6)},           {"affine", Value::ofBool(r.has(1))},
                     {"track_running_stats", Value::ofBool(r.has(3))}};
  }
  if (kind == "aten::layer_norm")
    return Arguments{{"normalized_shape", r.constant(1)}, {"eps", r.constant(4)},
                     {"elementwise_affine", Value::ofBool(r.has(2))}};
  if (kind == "aten::embedding" && r.param(0).size() == 2) {
    Value padding = r.constant(2);
    if (padding.isInt() && padding.asInt() < 0) padding = Value::none();
    return Arguments{{"num_embeddings", Value::ofInt(r.param(0)[0])},
                     {"embedding_dim", Value::ofInt(r.param(0)[1])},
                     {"padding_idx", padding}};
  }
  if (kind == "aten::lstm" || kind == "aten::gru") {
    // (input, hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first)
    std::vector<int64_t> ih = r.module.tensorShape("weight_ih_l0");
    std::vector<int64_t> hh = r.module.tensorShape("weight_hh_l0");
    if (ih.size() != 2 || hh.size() != 2) return std::nullopt;
    return Arguments{{"input_size", Value::ofInt(ih[1])}, {"hidden_size", Value::ofInt(hh[1])},
                     {"num_layers", r.constant(4)},       {"bias", r.constant(3)},
                     {"batch_first", r.constant(8)},      {"dropout", r.constant(5)},
                     {"bidirectional", r.constant(7)}};
  }
  // Parameter-free modules make the same calls as forward code (aten::max_pool2d).
  const AtenFunction* row = findAtenFunction(kind, r.call.constants.size());
  if (!row) return std::nullopt;
  Arguments a;
  for (size_t i = 0; i < row->args.size(); ++i)
    if (row->args[i].role == AtenArgRole::Attr) a.push_back({row->args[i].attr, r.constant(i)});
  if (row->adjust) row->adjust(a);
  return a;
}

}  // namespace

bool recordsArguments(const OpDef& op, const ScriptModuleView& module) {
  for (const AttrDef& attr : op.attrs()) {
    std::optional<Value> value = module.value(attr.name);
    if (value && !value->isNone()) return true;
  }
  return false;
}

std::optional<std::vector<CallArgument>> tracedArguments(const OpDef& op, const TracedCall& call,
                                                         const ScriptModuleView& module) {
  std::optional<Arguments> arguments = tracedCall(TracedReader{call, module});
  if (!arguments) return std::nullopt;
  Arguments known;  // only what the op declares (aten::lstm's batch_first is also LSTM's)
  for (CallArgument& a : *arguments)
    if (op.findAttr(a.keyword)) known.push_back(std::move(a));
  return known;
}

const AtenFunction* findAtenFunction(const std::string& kind, size_t argumentCount) {
  const AtenFunction* fallback = nullptr;
  for (const AtenFunction& f : atenFunctions()) {
    if (kind != f.kind) continue;
    if (f.args.size() == argumentCount) return &f;
    if (!fallback && f.args.size() > argumentCount) fallback = &f;
  }
  return fallback;
}

bool isWholeSlice(const std::vector<CallArgument>& arguments) {
  for (const CallArgument& a : arguments) {
    if (a.keyword == "start" && !a.value.isNone() && !(a.value.isInt() && a.value.asInt() == 0)) return false;
    if (a.keyword == "end" && !a.value.isNone()) return false;
    if (a.keyword == "step" && !(a.value.isInt() && a.value.asInt() == 1)) return false;
  }
  return true;
}

}  // namespace sketch
