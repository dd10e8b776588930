// EmitContext: what an op emitter sees while one graph node becomes ONNX nodes.
//
// An emitter (one per op family file, chosen by the table in onnx_ops.cpp) reads the node's
// resolved attributes and its inputs' value names and inferred types, and adds ONNX nodes,
// initializers and constants through this context. The context owns the naming rules, so
// emitters never invent names: nodes are named by block path, weights by their state_dict
// name, intermediate values by `path/hint`. Emitters never touch files; when a node's
// attribute values cannot be expressed they call fail(), and the exporter reports it before
// anything is written.
#pragma once

#include <onnx/onnx_pb.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "weights/tensor.h"

namespace sketch {

/// One tensor that becomes a graph initializer. Weights keep their WeightStore name;
/// derived tensors (reordered gates, constants) get a fresh name under the node's path.
struct Initializer {
  std::string name;
  Tensor tensor;
};

/// Model-wide state of one export: the graph being built, names in use, initializers.
struct ExportState {
  const Graph* graph = nullptr;
  const WeightStore* weights = nullptr;
  int opset = 17;
  onnx::GraphProto* proto = nullptr;
  std::vector<Initializer> initializers;
  std::set<std::string> valueNames;                      // every value name in use (SSA)
  std::set<std::string> nodeNames;                       // every node name in use
  std::set<std::string> addedWeights;                    // WeightStore names already added
  std::map<PortRef, std::string> portValues;             // graph port -> ONNX value name
  std::vector<std::pair<NodeId, std::string>> failures;  // nodes emitters could not express
};

class EmitContext {
 public:
  EmitContext(ExportState& state, const Node& node);

  const Node& node() const { return node_; }
  int opset() const { return state_.opset; }

  // Attributes (resolved by shape inference).
  const Value& attr(const std::string& name) const;
  bool isNone(const std::string& name) const { return attr(name).isNone(); }
  int64_t getInt(const std::string& name) const { return attr(name).asInt(); }
  double getFloat(const std::string& name) const { return attr(name).asNumber(); }
  bool getBool(const std::string& name) const { return attr(name).asBool(); }
  const std::string& getString(const std::string& name) const { return attr(name).asString(); }
  /// An IntN attribute (3 or (3, 3)) as `rank` ints.
  std::vector<int64_t> getInts(const std::string& name, size_t rank) const;

  // Ports: ONNX value names and inferred types.
  size_t inputCount() const { return node_.inputs.size(); }
  bool hasInput(size_t i) const { return i < node_.inputs.size() && node_.inputs[i].has_value(); }
  const std::string& input(size_t i) const;
  const TensorType& inputType(size_t i) const;
  size_t outputCount() const { return node_.outputs.size(); }
  const std::string& output(size_t i) const;
  const TensorType& outputType(size_t i) const;

  /// A new value name `path/hint` (numbered when taken).
  std::string fresh(const std::string& hint);
  /// Adds a node named by the block path (`path`, then `path/OpType`, numbered).
  onnx::NodeProto& add(const std::string& opType, const std::vector<std::string>& inputs,
                       const std::vector<std::string>& outputs);
  /// Adds a one-output node and returns its fresh output name.
  std::string op(const std::string& opType, const std::vector<std::string>& inputs,
                 const std::string& hint = "");
  /// Adds a one-output node writing `output`.
  void opTo(const std::string& opType, const std::vector<std::string>& inputs,
            const std::string& output);

  /// The node's parameter `name` (`weight`, `self_attn.in_proj_weight`) as an initializer
  /// under its state_dict name; "" names the node path itself (Parameter).
  std::string param(const std::string& name);
  /// The tensor behind a parameter, for emitters that reorder weights.
  const Tensor& weight(const std::string& name) const;
  /// An initializer holding a tensor this emitter derived (`path/hint`).
  std::string derived(const std::string& hint, Tensor tensor);
  /// A 1-D int64 constant.
  std::string ints(const std::vector<int64_t>& values);
  /// A 0-d constant of `dtype` (floating point or integer).
  std::string scalar(double value, DType dtype);
  /// A 0-d constant of the dtype of input 0.
  std::string scalar(double value) { return scalar(value, inputType(0).dtype); }

  /// Marks this node as not expressible; the exporter lists every such node. `why`
  /// continues "the onnx kernel cannot express Op 'path', which ...".
  void fail(const std::string& why);

  /// For ops on [N, C, *] that torch also runs on an unbatched [C, *] input: from here on
  /// input 0 and output 0 carry a batch of one (Unsqueeze before, Squeeze in finish()).
  void addBatchDim();
  /// Completes the node after its emitter ran (removes the batch dim addBatchDim added).
  void finish();

 private:
  std::string fullParamName(const std::string& name) const;

  ExportState& state_;
  const Node& node_;
  // Set by addBatchDim: input 0 and output 0 with a leading batch of one.
  bool batchAdded_ = false;
  std::string batchedInput_, batchedOutput_;
  TensorType batchedInputType_, batchedOutputType_;
};

// Attribute setters for ONNX nodes.
void setInt(onnx::NodeProto& node, const std::string& name, int64_t value);
void setFloat(onnx::NodeProto& node, const std::string& name, double value);
void setString(onnx::NodeProto& node, const std::string& name, const std::string& value);
void setInts(onnx::NodeProto& node, const std::string& name, const std::vector<int64_t>& values);
void setFloats(onnx::NodeProto& node, const std::string& name, const std::vector<float>& values);
void setStrings(onnx::NodeProto& node, const std::string& name,
                const std::vector<std::string>& values);
/// A value of a catalogue attribute as the ONNX attribute of its kind: int, float, string,
/// ints or floats.
void setAttribute(onnx::NodeProto& node, const std::string& name, const Value& value);

/// ONNX's element type for a DType.
onnx::TensorProto_DataType onnxType(DType dtype);

}  // namespace sketch
