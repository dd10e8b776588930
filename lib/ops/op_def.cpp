#include "ops/op_def.h"

namespace sketch {

const char* attrTypeName(AttrType type) {
  switch (type) {
    case AttrType::Int: return "int";
    case AttrType::Float: return "float";
    case AttrType::Bool: return "bool";
    case AttrType::String: return "string";
    case AttrType::IntN: return "int or tuple of ints";
    case AttrType::Ints: return "tuple of ints";
    case AttrType::Floats: return "tuple of floats";
    case AttrType::Any: return "value";
  }
  return "value";
}

OpDef::OpDef(std::string name, std::string doc) : name_(std::move(name)), doc_(std::move(doc)) {}

OpDef& OpDef::category(std::string c) {
  category_ = std::move(c);
  return *this;
}

OpDef& OpDef::family(std::string name, int rank) {
  family_ = std::move(name);
  rank_ = rank;
  return *this;
}

OpDef& OpDef::module(bool isModule) {
  module_ = isModule;
  return *this;
}

OpDef& OpDef::attr(AttrDef def) {
  attrs_.push_back(std::move(def));
  return *this;
}

OpDef& OpDef::required(std::string name, AttrType type, std::string doc) {
  AttrDef def;
  def.name = std::move(name);
  def.type = type;
  def.required = true;
  def.doc = std::move(doc);
  return attr(std::move(def));
}

OpDef& OpDef::optional(std::string name, AttrType type, Value defaultValue, std::string doc) {
  AttrDef def;
  def.name = std::move(name);
  def.type = type;
  def.defaultValue = std::move(defaultValue);
  def.optional = def.defaultValue.isNone();
  def.doc = std::move(doc);
  return attr(std::move(def));
}

OpDef& OpDef::inferred(std::string name, AttrType type, std::string doc) {
  AttrDef def;
  def.name = std::move(name);
  def.type = type;
  def.inferred = true;
  def.doc = std::move(doc);
  return attr(std::move(def));
}

OpDef& OpDef::input(std::string name, bool optional) {
  inputs_.push_back({std::move(name), optional, false});
  return *this;
}

OpDef& OpDef::variadicInput(std::string name) {
  inputs_.push_back({std::move(name), false, true});
  return *this;
}

OpDef& OpDef::output(std::string name) {
  outputs_.push_back({std::move(name), false, false});
  return *this;
}

OpDef& OpDef::variadicOutputs() {
  variadicOutputs_ = true;
  return *this;
}

OpDef& OpDef::shape(ShapeFn fn) {
  shape_ = std::move(fn);
  return *this;
}

OpDef& OpDef::params(ParamFn fn) {
  params_ = std::move(fn);
  return *this;
}

OpDef& OpDef::macs(MacFn fn) {
  macs_ = std::move(fn);
  return *this;
}

OpDef& OpDef::impliedInput(ImpliedInputFn fn) {
  impliedInput_ = std::move(fn);
  return *this;
}

OpDef& OpDef::canonical(CanonicalFn fn) {
  canonical_ = std::move(fn);
  return *this;
}

std::optional<TensorType> OpDef::impliedInputFor(const Attrs& attrs) const {
  if (!impliedInput_) return std::nullopt;
  return impliedInput_(attrs);
}

const AttrDef* OpDef::findAttr(const std::string& name) const {
  for (const AttrDef& a : attrs_)
    if (a.name == name) return &a;
  return nullptr;
}

int OpDef::inputIndex(const std::string& port) const {
  for (size_t i = 0; i < inputs_.size(); ++i)
    if (inputs_[i].name == port) return static_cast<int>(i);
  return -1;
}

int OpDef::outputIndex(const std::string& port) const {
  for (size_t i = 0; i < outputs_.size(); ++i)
    if (outputs_[i].name == port) return static_cast<int>(i);
  return -1;
}

}  // namespace sketch
