#include "ops/shape_context.h"

#include <cassert>

namespace sketch {

ShapeContext::ShapeContext(const OpDef& op, std::string nodeName, Attrs& attrs,
                           std::vector<TensorType> inputs, std::vector<std::string> inputNames)
    : op_(op),
      nodeName_(std::move(nodeName)),
      attrs_(attrs),
      inputs_(std::move(inputs)),
      inputNames_(std::move(inputNames)),
      connected_(inputs_.size(), true),
      outputs_(op.outputs().size(), TensorType::errorType()) {
  inputNames_.resize(inputs_.size());
}

std::string ShapeContext::label() const { return op_.name() + " '" + nodeName_ + "'"; }

std::string ShapeContext::describeInput(size_t i) const {
  return "'" + inputNames_[i] + "' gives " + inputs_[i].shapeString();
}

std::string ShapeContext::describeInputType(size_t i) const {
  return "'" + inputNames_[i] + "' gives " + inputs_[i].toString();
}

const Value& ShapeContext::attr(const std::string& name) const {
  static const Value kNone;
  auto it = attrs_.find(name);
  assert(op_.findAttr(name) && "shape function reads an undeclared attribute");
  return it == attrs_.end() ? kNone : it->second;
}

int64_t ShapeContext::getInt(const std::string& name) const { return attr(name).asInt(); }
double ShapeContext::getFloat(const std::string& name) const { return attr(name).asNumber(); }
bool ShapeContext::getBool(const std::string& name) const { return attr(name).asBool(); }
const std::string& ShapeContext::getString(const std::string& name) const {
  return attr(name).asString();
}

std::vector<int64_t> ShapeContext::getInts(const std::string& name, size_t rank) const {
  const Value& v = attr(name);
  if (v.isInt()) return std::vector<int64_t>(rank ? rank : 1, v.asInt());
  return v.asInts();
}

std::vector<double> ShapeContext::getFloats(const std::string& name) const {
  const Value& v = attr(name);
  if (v.isNumber()) return {v.asNumber()};
  std::vector<double> out;
  for (const Value& item : v.asList()) out.push_back(item.asNumber());
  return out;
}

bool ShapeContext::inferInt(const std::string& name, const Dim& fromShape, size_t input,
                            const std::string& what) {
  const Value& given = attr(name);
  if (!fromShape.isKnown()) {
    if (given.isInt()) return true;  // the user's value stands for a symbolic dim
    inputError(input, label() + " cannot infer '" + name + "' from a symbolic size: " +
                          describeInput(input),
               "give " + name + " explicitly");
    return false;
  }
  if (given.isNone()) {
    setAttr(name, Value::ofInt(fromShape.value()));
    return true;
  }
  if (given.asInt() == fromShape.value()) return true;
  inputError(input,
             label() + " expects " + std::to_string(given.asInt()) + " " + what + ", but " +
                 describeInput(input),
             "set " + name + "=" + std::to_string(fromShape.value()) +
                 ", or leave it out to infer it");
  return false;
}

static std::string rankList(std::initializer_list<size_t> ranks) {
  std::string s;
  size_t i = 0;
  for (size_t r : ranks) {
    if (i) s += (i + 1 == ranks.size()) ? " or " : ", ";
    s += std::to_string(r) + "-D";
    ++i;
  }
  return s;
}

bool ShapeContext::expectRank(size_t i, std::initializer_list<size_t> ranks) {
  for (size_t r : ranks)
    if (input(i).rank() == r) return true;
  inputError(i, label() + " expects a " + rankList(ranks) + " input, but " +
                    describeInput(i));
  return false;
}

bool ShapeContext::expectMinRank(size_t i, size_t rank) {
  if (input(i).rank() >= rank) return true;
  inputError(i, label() + " expects an input with at least " + std::to_string(rank) +
                    " dims, but " + describeInput(i));
  return false;
}

void ShapeContext::setOutput(size_t i, TensorType type) {
  if (i >= outputs_.size()) outputs_.resize(i + 1, TensorType::errorType());
  outputs_[i] = std::move(type);
}

void ShapeContext::error(std::string message, std::string help) {
  issues_.push_back({ShapeIssue::Where::Node, "", 0, std::move(message), std::move(help)});
}

void ShapeContext::attrError(const std::string& attribute, std::string message, std::string help) {
  issues_.push_back(
      {ShapeIssue::Where::Attribute, attribute, 0, std::move(message), std::move(help)});
}

void ShapeContext::inputError(size_t input, std::string message, std::string help) {
  issues_.push_back({ShapeIssue::Where::Input, "", input, std::move(message), std::move(help)});
}

}  // namespace sketch
