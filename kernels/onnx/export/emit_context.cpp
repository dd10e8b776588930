#include "emit_context.h"

#include <cassert>
#include <cstring>

namespace sketch {

namespace {

/// `base`, or `base_2`, `base_3`, ... : the first that `used` does not hold (then taken).
std::string unique(std::set<std::string>& used, const std::string& base) {
  std::string name = base;
  for (int n = 2; used.count(name); ++n) name = base + "_" + std::to_string(n);
  used.insert(name);
  return name;
}

onnx::AttributeProto& newAttr(onnx::NodeProto& node, const std::string& name,
                              onnx::AttributeProto_AttributeType type) {
  onnx::AttributeProto& a = *node.add_attribute();
  a.set_name(name);
  a.set_type(type);
  return a;
}

template <typename T>
Tensor tensorOf(DType dtype, std::vector<int64_t> shape, const std::vector<T>& values) {
  Tensor t = *Tensor::zeros(dtype, std::move(shape));
  if (!values.empty()) std::memcpy(t.mutableData(), values.data(), t.byteSize());
  return t;
}

}  // namespace

EmitContext::EmitContext(ExportState& state, const Node& node) : state_(state), node_(node) {}

const Value& EmitContext::attr(const std::string& name) const {
  static const Value kNone;
  auto it = node_.attrs.find(name);
  return it == node_.attrs.end() ? kNone : it->second;
}

std::vector<int64_t> EmitContext::getInts(const std::string& name, size_t rank) const {
  const Value& v = attr(name);
  if (v.isInt()) return std::vector<int64_t>(rank, v.asInt());
  return v.asInts();
}

const std::string& EmitContext::input(size_t i) const {
  static const std::string kAbsent;
  if (!hasInput(i)) return kAbsent;
  if (i == 0 && batchAdded_) return batchedInput_;
  return state_.portValues.at(node_.inputs[i]->source);
}

const TensorType& EmitContext::inputType(size_t i) const {
  if (i == 0 && batchAdded_) return batchedInputType_;
  return state_.graph->typeOf(node_.inputs[i]->source);
}

const std::string& EmitContext::output(size_t i) const {
  if (i == 0 && batchAdded_) return batchedOutput_;
  return state_.portValues.at(PortRef{node_.id, static_cast<uint32_t>(i)});
}

const TensorType& EmitContext::outputType(size_t i) const {
  if (i == 0 && batchAdded_) return batchedOutputType_;
  return node_.outputs[i];
}

void EmitContext::addBatchDim() {
  auto batched = [](TensorType t) {
    t.dims.insert(t.dims.begin(), Dim::known(1));
    return t;
  };
  batchedInputType_ = batched(inputType(0));
  batchedOutputType_ = batched(outputType(0));
  batchedInput_ = op("Unsqueeze", {input(0), ints({0})});
  batchedOutput_ = fresh("batched");
  batchAdded_ = true;
}

void EmitContext::finish() {
  if (!batchAdded_) return;
  batchAdded_ = false;
  add("Squeeze", {batchedOutput_, ints({0})}, {output(0)});
}

std::string EmitContext::fresh(const std::string& hint) {
  return unique(state_.valueNames, node_.path + "/" + (hint.empty() ? "value" : hint));
}

onnx::NodeProto& EmitContext::add(const std::string& opType, const std::vector<std::string>& inputs,
                                  const std::vector<std::string>& outputs) {
  onnx::NodeProto& n = *state_.proto->add_node();
  std::string base = state_.nodeNames.count(node_.path) ? node_.path + "/" + opType : node_.path;
  n.set_name(unique(state_.nodeNames, base));
  n.set_op_type(opType);
  for (const std::string& in : inputs) n.add_input(in);
  for (const std::string& out : outputs) n.add_output(out);
  return n;
}

std::string EmitContext::op(const std::string& opType, const std::vector<std::string>& inputs,
                            const std::string& hint) {
  std::string out = fresh(hint.empty() ? opType : hint);
  add(opType, inputs, {out});
  return out;
}

void EmitContext::opTo(const std::string& opType, const std::vector<std::string>& inputs,
                       const std::string& output) {
  add(opType, inputs, {output});
}

std::string EmitContext::fullParamName(const std::string& name) const {
  if (name.empty()) return node_.path;
  return node_.path + "." + name;
}

const Tensor& EmitContext::weight(const std::string& name) const {
  const Tensor* t = state_.weights->find(fullParamName(name));
  assert(t && "the driver binds every parameter before export");
  return *t;
}

std::string EmitContext::param(const std::string& name) {
  std::string full = fullParamName(name);
  if (state_.addedWeights.insert(full).second) {
    state_.valueNames.insert(full);
    state_.initializers.push_back({full, weight(name)});
  }
  return full;
}

std::string EmitContext::derived(const std::string& hint, Tensor tensor) {
  std::string name = fresh(hint);
  state_.initializers.push_back({name, std::move(tensor)});
  return name;
}

std::string EmitContext::ints(const std::vector<int64_t>& values) {
  return derived("const", tensorOf(DType::Int64, {static_cast<int64_t>(values.size())}, values));
}

std::string EmitContext::scalar(double value, DType dtype) {
  switch (dtype) {
    case DType::Float64:
      return derived("const", tensorOf(dtype, {}, std::vector<double>{value}));
    case DType::Int64:
      return derived("const", tensorOf(dtype, {}, std::vector<int64_t>{int64_t(value)}));
    case DType::Int32:
      return derived("const", tensorOf(dtype, {}, std::vector<int32_t>{int32_t(value)}));
    default:
      return derived("const", tensorOf(DType::Float32, {}, std::vector<float>{float(value)}));
  }
}

void EmitContext::fail(const std::string& why) {
  state_.failures.push_back({node_.id, node_.op->name() + " '" + node_.path + "', which " + why});
}

void setInt(onnx::NodeProto& node, const std::string& name, int64_t value) {
  newAttr(node, name, onnx::AttributeProto::INT).set_i(value);
}

void setFloat(onnx::NodeProto& node, const std::string& name, double value) {
  newAttr(node, name, onnx::AttributeProto::FLOAT).set_f(static_cast<float>(value));
}

void setString(onnx::NodeProto& node, const std::string& name, const std::string& value) {
  newAttr(node, name, onnx::AttributeProto::STRING).set_s(value);
}

void setInts(onnx::NodeProto& node, const std::string& name, const std::vector<int64_t>& values) {
  onnx::AttributeProto& a = newAttr(node, name, onnx::AttributeProto::INTS);
  for (int64_t v : values) a.add_ints(v);
}

void setFloats(onnx::NodeProto& node, const std::string& name, const std::vector<float>& values) {
  onnx::AttributeProto& a = newAttr(node, name, onnx::AttributeProto::FLOATS);
  for (float v : values) a.add_floats(v);
}

void setStrings(onnx::NodeProto& node, const std::string& name,
                const std::vector<std::string>& values) {
  onnx::AttributeProto& a = newAttr(node, name, onnx::AttributeProto::STRINGS);
  for (const std::string& v : values) a.add_strings(v);
}

void setAttribute(onnx::NodeProto& node, const std::string& name, const Value& value) {
  if (value.isInt() || value.isBool()) return setInt(node, name, value.isBool() ? value.asBool() : value.asInt());
  if (value.isNumber()) return setFloat(node, name, value.asNumber());
  if (value.isString()) return setString(node, name, value.asString());
  if (value.isIntList()) return setInts(node, name, value.asInts());
  std::vector<float> floats;
  for (const Value& item : value.asList()) floats.push_back(float(item.asNumber()));
  setFloats(node, name, floats);
}

onnx::TensorProto_DataType onnxType(DType dtype) {
  switch (dtype) {
    case DType::Float32:
      return onnx::TensorProto::FLOAT;
    case DType::Float64:
      return onnx::TensorProto::DOUBLE;
    case DType::Float16:
      return onnx::TensorProto::FLOAT16;
    case DType::BFloat16:
      return onnx::TensorProto::BFLOAT16;
    case DType::Int64:
      return onnx::TensorProto::INT64;
    case DType::Int32:
      return onnx::TensorProto::INT32;
    case DType::Int16:
      return onnx::TensorProto::INT16;
    case DType::Int8:
      return onnx::TensorProto::INT8;
    case DType::UInt8:
      return onnx::TensorProto::UINT8;
    case DType::Bool:
      return onnx::TensorProto::BOOL;
  }
  return onnx::TensorProto::UNDEFINED;
}

}  // namespace sketch
