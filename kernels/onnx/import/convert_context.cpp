#include <algorithm>
#include <cctype>

#include "import/converter.h"
#include "ops/catalogue.h"

namespace sketch::onnx_import {

namespace {

// A constant other than a weight is written out as a literal in the sketch; beyond this
// many numbers and nested lists it is refused (a few bytes of shape can claim billions
// of empty lists: [8, 10, 268435451, 0]).
constexpr int64_t kMaxLiteralCells = int64_t(1) << 20;

Value shapeValue(const std::vector<int64_t>& shape) { return Value::ofInts(shape); }

/// Numbers and lists that nestedValue makes for `shape`, or nothing beyond kMaxLiteralCells.
std::optional<int64_t> literalCells(const std::vector<int64_t>& shape) {
  int64_t cells = 1, level = 1;
  for (int64_t d : shape) {
    if (__builtin_mul_overflow(level, d, &level) || __builtin_add_overflow(cells, level, &cells) ||
        cells > kMaxLiteralCells)
      return std::nullopt;
  }
  return cells;
}

/// A constant as the language writes it: a number or nested lists of numbers.
Value nestedValue(const Tensor& tensor, const std::vector<int64_t>& ints,
                  const std::vector<double>& floats, size_t dim, size_t& at) {
  if (dim == tensor.shape().size()) {
    size_t i = at++;
    return isFloatingPoint(tensor.dtype()) ? Value::ofFloat(floats[i]) : Value::ofInt(ints[i]);
  }
  std::vector<Value> items;
  for (int64_t k = 0; k < tensor.shape()[dim]; ++k)
    items.push_back(nestedValue(tensor, ints, floats, dim + 1, at));
  return Value::ofList(std::move(items));
}

}  // namespace

ConvertContext::ConvertContext(const onnx::NodeProto& node, const OnnxGraph& graph,
                               RaiseState& state, DiagnosticEngine& diags)
    : node_(node), graph_(graph), state_(state), diags_(diags) {}

std::string ConvertContext::input(size_t i) const {
  return hasInput(i) ? graph_.resolve(node_.input(static_cast<int>(i))) : std::string();
}

const TensorType* ConvertContext::inputType(size_t i) const {
  const ValueInfo* v = hasInput(i) ? graph_.find(node_.input(static_cast<int>(i))) : nullptr;
  return v && v->type ? &*v->type : nullptr;
}

const Tensor* ConvertContext::constant(size_t i) const {
  const ValueInfo* v = hasInput(i) ? graph_.find(node_.input(static_cast<int>(i))) : nullptr;
  return v && v->constant ? &*v->constant : nullptr;
}

std::optional<std::vector<int64_t>> ConvertContext::constantInts(size_t i) const {
  const Tensor* t = constant(i);
  if (!t) return std::nullopt;
  return intElements(*t);
}

const Tensor* ConvertContext::weight(size_t i) const {
  const ValueInfo* v = hasInput(i) ? graph_.find(node_.input(static_cast<int>(i))) : nullptr;
  return v && v->initializer ? &*v->constant : nullptr;
}

const TensorType* ConvertContext::outputType(size_t i) const {
  if (i >= static_cast<size_t>(node_.output_size())) return nullptr;
  const ValueInfo* v = graph_.find(node_.output(static_cast<int>(i)));
  return v && v->type ? &*v->type : nullptr;
}

bool ConvertContext::hasAttr(const std::string& name) const { return findAttribute(node_, name); }

int64_t ConvertContext::attrInt(const std::string& name, int64_t fallback) const {
  const auto* a = findAttribute(node_, name);
  return a ? a->i() : fallback;
}

double ConvertContext::attrFloat(const std::string& name, double fallback) const {
  const auto* a = findAttribute(node_, name);
  return a ? shortFloat(a->f()) : fallback;
}

std::vector<int64_t> ConvertContext::attrInts(const std::string& name) const {
  const auto* a = findAttribute(node_, name);
  return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : std::vector<int64_t>{};
}

std::string ConvertContext::attrString(const std::string& name, const std::string& fallback) const {
  const auto* a = findAttribute(node_, name);
  return a ? a->s() : fallback;
}

std::optional<Value> ConvertContext::attrValue(const std::string& name) const {
  const auto* a = findAttribute(node_, name);
  if (!a) return std::nullopt;
  switch (a->type()) {
    case onnx::AttributeProto::INT: return Value::ofInt(a->i());
    case onnx::AttributeProto::FLOAT: return Value::ofFloat(shortFloat(a->f()));
    case onnx::AttributeProto::STRING: return Value::ofString(a->s());
    case onnx::AttributeProto::INTS:
      return Value::ofInts(std::vector<int64_t>(a->ints().begin(), a->ints().end()));
    default: return std::nullopt;
  }
}

std::optional<PortRef> ConvertContext::port(size_t i) {
  if (!hasInput(i)) {
    fail("input " + std::to_string(i) + " is missing", diag::ModelDamaged);
    return std::nullopt;
  }
  return portOf(input(i));
}

std::optional<std::vector<PortRef>> ConvertContext::presentPorts() {
  std::vector<PortRef> inputs;
  for (size_t i = 0; i < inputCount(); ++i) {
    if (!hasInput(i)) continue;
    auto p = port(i);
    if (!p) return std::nullopt;
    inputs.push_back(*p);
  }
  return inputs;
}

std::optional<PortRef> ConvertContext::portOf(const std::string& value) {
  auto it = state_.ports.find(value);
  if (it != state_.ports.end()) return it->second;
  const ValueInfo* info = graph_.find(value);
  if (info && info->constant) return materialise(value, *info);
  fail("value '" + value + "' has no producer this importer converted", diag::ModelDamaged);
  return std::nullopt;
}

/// A weight becomes a Parameter named by the weight (`enc.norm.weight`); any other
/// constant a Constant holding its value.
std::optional<PortRef> ConvertContext::materialise(const std::string& value,
                                                   const ValueInfo& info) {
  const Tensor& t = *info.constant;
  std::optional<NodeId> id;
  if (info.initializer && t.dtype() == DType::Float32) {
    NameHint hint;
    hint.exact = value;
    hint.scope = scope();
    hint.local = "weight";
    id = emit("Parameter", {kw("shape", shapeValue(t.shape()))}, {}, hint);
    if (id) setWeight(*id, "", t);
  } else if (!literalCells(t.shape())) {
    fail("constant '" + value + "' of shape " + t.shapeString() +
         " is too large to write as a literal");
    return std::nullopt;
  } else {
    size_t at = 0;
    std::vector<int64_t> ints;
    std::vector<double> floats;
    if (isFloatingPoint(t.dtype()))
      floats = floatElements(t);
    else
      ints = intElements(t);
    NameHint hint{"", scope(), "constant"};
    id = emit("Constant",
              {kw("value", nestedValue(t, ints, floats, 0, at)),
               kw("dtype", Value::ofString(dtypeName(t.dtype())))},
              {}, hint);
  }
  if (!id) return std::nullopt;
  PortRef ref{*id, 0};
  state_.ports[value] = ref;
  return ref;
}

std::optional<NodeId> ConvertContext::emit(const std::string& opName,
                                           const std::vector<CallArgument>& args,
                                           const std::vector<PortRef>& inputs, NameHint hint) {
  const OpDef* op = catalogue().find(opName);
  if (!op) {
    fail("internal error: the catalogue has no op '" + opName + "'", diag::InternalError);
    return std::nullopt;
  }
  BindResult bound = bindArguments(*op, args);
  if (!bound.issues.empty()) {
    fail("cannot express it as " + opName + ": " + bound.issues.front().message);
    return std::nullopt;
  }
  Node node;
  node.id = static_cast<NodeId>(state_.graph.nodes.size());
  node.op = op;
  node.attrs = std::move(bound.attrs);
  size_t fixed = op->hasVariadicInput() ? op->inputs().size() - 1 : op->inputs().size();
  node.inputs.resize(std::max(fixed, inputs.size()));
  for (size_t i = 0; i < inputs.size(); ++i) node.inputs[i] = InputLink{inputs[i], Span{}};
  if (hint.scope.empty()) hint.scope = scope();
  if (hint.local.empty()) {
    for (char c : opName)
      hint.local += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  state_.graph.nodes.push_back(std::move(node));
  state_.hints.push_back(std::move(hint));
  return state_.graph.nodes.back().id;
}

NameHint ConvertContext::hintFromWeight(size_t i, const std::string& param) const {
  return hintFromValue(hasInput(i) ? node_.input(static_cast<int>(i)) : std::string(), param);
}

NameHint ConvertContext::hintFromValue(std::string name, const std::string& param) const {
  NameHint hint;
  hint.scope = scope();
  const ValueInfo* v = graph_.find(name);
  if (v && !v->weightName.empty()) name = v->weightName;
  std::string suffix = "." + param;
  if (v && v->initializer && name.size() > suffix.size() &&
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
      name.find("::") == std::string::npos)
    hint.exact = name.substr(0, name.size() - suffix.size());
  return hint;
}

void ConvertContext::setWeight(NodeId node, const std::string& param, Tensor tensor) {
  state_.weights.emplace_back(node, param, std::move(tensor));
}

void ConvertContext::setOutput(size_t i, PortRef port) {
  if (i < static_cast<size_t>(node_.output_size()) && !node_.output(static_cast<int>(i)).empty())
    bindValue(node_.output(static_cast<int>(i)), port);
}

void ConvertContext::bindValue(const std::string& value, PortRef port) {
  state_.ports[value] = port;
}

const onnx::NodeProto* ConvertContext::soleConsumer(const std::string& value) const {
  const auto& consumers = graph_.consumersOf(value);
  if (graph_.isGraphOutput(value) || consumers.size() != 1) return nullptr;
  return consumers.front();
}

const onnx::NodeProto* ConvertContext::soleConsumer(const onnx::NodeProto& node,
                                                    const char* op) const {
  if (node.output_size() < 1) return nullptr;
  const onnx::NodeProto* n = soleConsumer(graph_.resolve(node.output(0)));
  return n && n->op_type() == op ? n : nullptr;
}

void ConvertContext::absorb(const onnx::NodeProto& node) { state_.absorbed.insert(&node); }

bool ConvertContext::fail(const std::string& message, diag::Kind kind) {
  std::string name =
      !node_.name().empty() || node_.output_size() == 0 ? node_.name() : node_.output(0);
  diags_.reportFile(kind, graph_.path,
                    node_.op_type() + " node '" + name + "': " + message);
  return false;
}

bool emitUnaryOp(ConvertContext& ctx, const std::string& op, const std::vector<CallArgument>& args,
                 NameHint hint) {
  auto input = ctx.port(0);
  if (!input) return false;
  auto id = ctx.emit(op, args, {*input}, std::move(hint));
  if (!id) return false;
  ctx.setOutput(0, {*id, 0});
  return true;
}

}  // namespace sketch::onnx_import
