// ShapeContext: what a shape function sees and how it reports.
//
// A shape function reads its node's attributes and input types, infers attributes left out
// (in_channels from the input, ...), sets the output types, and reports problems as
// ShapeIssues naming the attribute or input port involved. It never throws or prints; the
// graph pass turns issues into located diagnostics (with the producer's shape and a note).
#pragma once

#include <string>
#include <vector>

#include "ops/op_def.h"

namespace sketch {

struct ShapeIssue {
  enum class Where { Node, Attribute, Input };
  Where where = Where::Node;
  std::string attribute;  // Where::Attribute
  size_t input = 0;       // Where::Input
  std::string message;
  std::string help;
};

class ShapeContext {
 public:
  /// `attrs` is updated in place with inferred attributes. `inputNames` label each input's
  /// producer for messages ("'relu'", "'lstm.h_n'"); `nodeName` is the block's name.
  ShapeContext(const OpDef& op, std::string nodeName, Attrs& attrs,
               std::vector<TensorType> inputs, std::vector<std::string> inputNames);

  const OpDef& op() const { return op_; }
  /// "Conv2d 'conv2'": how messages name this node.
  std::string label() const;

  size_t inputCount() const { return inputs_.size(); }
  bool hasInput(size_t i) const { return i < inputs_.size() && connected_[i]; }
  const TensorType& input(size_t i) const { return inputs_[i]; }
  /// "'relu' gives [N, 32, 56, 56]": the producer of input i and its shape.
  std::string describeInput(size_t i) const;
  /// "'relu' gives int64[N, 4]": describeInput with the element type, for dtype messages.
  std::string describeInputType(size_t i) const;

  const Value& attr(const std::string& name) const;
  bool isNone(const std::string& name) const { return attr(name).isNone(); }
  int64_t getInt(const std::string& name) const;
  double getFloat(const std::string& name) const;
  bool getBool(const std::string& name) const;
  const std::string& getString(const std::string& name) const;
  /// An IntN attribute expanded to `rank` ints (3 -> (3, 3)); Ints as given.
  std::vector<int64_t> getInts(const std::string& name, size_t rank = 0) const;
  std::vector<double> getFloats(const std::string& name) const;
  void setAttr(const std::string& name, Value value) { attrs_[name] = std::move(value); }
  const Attrs& attrs() const { return attrs_; }

  /// Fills an inferred int attribute from a dim of input `input`; when the user gave it, checks
  /// that it agrees and otherwise reports "<label> expects <value> <what>, but <producer>
  /// gives <shape>". Returns false after reporting.
  bool inferInt(const std::string& name, const Dim& fromShape, size_t input, const std::string& what);
  /// Reports unless input `i` has one of `ranks` dims ("expects a 3-D or 4-D input").
  bool expectRank(size_t i, std::initializer_list<size_t> ranks);
  /// Reports unless input `i` has at least `rank` dims.
  bool expectMinRank(size_t i, size_t rank);

  /// Number of outputs for variadic-output ops; fixed ops have theirs preset.
  void setOutputCount(size_t n) { outputs_.resize(n, TensorType::errorType()); }
  void setOutput(size_t i, TensorType type);
  const std::vector<TensorType>& outputs() const { return outputs_; }

  void error(std::string message, std::string help = "");
  void attrError(const std::string& attribute, std::string message, std::string help = "");
  void inputError(size_t input, std::string message, std::string help = "");

  bool ok() const { return issues_.empty(); }
  const std::vector<ShapeIssue>& issues() const { return issues_; }

  /// Marks input i as not connected (optional ports left open).
  void markUnconnected(size_t i) { connected_[i] = false; }

 private:
  const OpDef& op_;
  std::string nodeName_;
  Attrs& attrs_;
  std::vector<TensorType> inputs_;
  std::vector<std::string> inputNames_;
  std::vector<bool> connected_;
  std::vector<TensorType> outputs_;
  std::vector<ShapeIssue> issues_;
};

}  // namespace sketch
