// ConvertContext: what a converter (converters.h) sees while one ONNX node becomes catalogue
// nodes, and the state of one import. The op table (../onnx_ops.cpp) picks the converter
// by the node's op and the since_version the model's opset resolves it to, through
// libonnx's schema registry, so one row serves every opset up to the op's next change. A
// converter may absorb the nodes that follow it when together they are one PyTorch module
// (MatMul + Add is a Linear, a decomposed LayerNorm is a LayerNorm).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "graph/graph.h"
#include "import/onnx_graph.h"
#include "ops/bind_arguments.h"

namespace sketch {

struct OnnxOp;

namespace onnx_import {

/// The since_version of `opType` at `opset` per libonnx's schemas; nothing if unknown.
std::optional<int> sinceVersion(const std::string& domain, const std::string& opType, int opset);
/// The op table's row that reads `opType` as the model's opset resolves it, or null (the
/// table reads the standard domain only).
const OnnxOp* findReader(const std::string& domain, const std::string& opType, int opset);

/// How a node's path is chosen once all nodes exist (see naming.cpp).
struct NameHint {
  std::string exact;  // a path taken from a weight's name (`features.0`), used as is
  std::string scope;  // the module path from the ONNX node's scope (`layer1.0.conv1`)
  std::string local;  // a name within the scope when it holds other nodes too (`relu`)
};

/// The graph being built, shared by all converters of one import.
struct RaiseState {
  Graph graph;
  std::vector<NameHint> hints;  // by NodeId
  std::vector<std::tuple<NodeId, std::string, Tensor>> weights;
  std::map<std::string, PortRef> ports;  // ONNX value -> the port that carries it
  std::set<const onnx::NodeProto*> absorbed;
};

class ConvertContext {
 public:
  ConvertContext(const onnx::NodeProto& node, const OnnxGraph& graph, RaiseState& state,
                 DiagnosticEngine& diags);

  const onnx::NodeProto& node() const { return node_; }
  const OnnxGraph& onnx() const { return graph_; }
  /// The module path the node's name gives (its scope in torch.onnx.export's models).
  std::string scope() const;

  // Inputs of the node.
  size_t inputCount() const { return static_cast<size_t>(node_.input_size()); }
  bool hasInput(size_t i) const { return i < inputCount() && !node_.input(i).empty(); }
  /// The resolved name of input `i` ("" when absent).
  std::string input(size_t i) const;
  const TensorType* inputType(size_t i) const;
  const Tensor* constant(size_t i) const;
  std::optional<std::vector<int64_t>> constantInts(size_t i) const;
  /// The initializer of input `i`: a weight of the model, or null.
  const Tensor* weight(size_t i) const;
  const TensorType* outputType(size_t i) const;

  // Attributes of the node.
  bool hasAttr(const std::string& name) const;
  int64_t attrInt(const std::string& name, int64_t fallback) const;
  double attrFloat(const std::string& name, double fallback) const;
  std::vector<int64_t> attrInts(const std::string& name) const;
  std::string attrString(const std::string& name, const std::string& fallback) const;
  /// An int, float, string or ints attribute as a value; nothing when absent.
  std::optional<Value> attrValue(const std::string& name) const;

  /// The port that carries input `i`; constants become Constant or Parameter nodes.
  std::optional<PortRef> port(size_t i);
  std::optional<PortRef> portOf(const std::string& value);
  /// The ports of every input present (optional inputs left empty are skipped).
  std::optional<std::vector<PortRef>> presentPorts();
  /// Adds a catalogue node named after this node's scope (or `hint` when given); binds
  /// `args` like a call in the language. Null when the arguments do not bind (reported).
  std::optional<NodeId> emit(const std::string& op, const std::vector<CallArgument>& args,
                             const std::vector<PortRef>& inputs, NameHint hint = {});
  /// A hint whose path is the prefix of input `i`'s weight name when that name ends in
  /// `.param` (`features.0.weight` -> `features.0`); the scope hint otherwise.
  NameHint hintFromWeight(size_t i, const std::string& param) const;
  /// hintFromWeight for the weight value `name`.
  NameHint hintFromValue(std::string name, const std::string& param) const;
  /// Records a parameter tensor of `node` (named relative to its path).
  void setWeight(NodeId node, const std::string& param, Tensor tensor);
  /// ONNX output `i` (or another value, for absorbed nodes) is carried by `port`.
  void setOutput(size_t i, PortRef port);
  void bindValue(const std::string& value, PortRef port);

  /// The only node that reads `value`, when it is not a graph output either.
  const onnx::NodeProto* soleConsumer(const std::string& value) const;
  /// The only node that reads `node`'s first output, when it is an `op` node: the next
  /// step of a chain that a matcher walks.
  const onnx::NodeProto* soleConsumer(const onnx::NodeProto& node, const char* op) const;
  /// Marks a following node as converted together with this one.
  void absorb(const onnx::NodeProto& node);

  /// Reports that this node cannot be converted, by default because its attribute values
  /// or form have no catalogue counterpart (`kind` says otherwise); returns false for
  /// `return ctx.fail(...)`.
  bool fail(const std::string& message, diag::Kind kind = diag::UnsupportedAttribute);
  DiagnosticEngine& diags() { return diags_; }

 private:
  std::optional<PortRef> materialise(const std::string& value, const ValueInfo& info);

  const onnx::NodeProto& node_;
  const OnnxGraph& graph_;
  RaiseState& state_;
  DiagnosticEngine& diags_;
};

/// `op` with `args` on input 0, carrying output 0: the tail of most converters.
bool emitUnaryOp(ConvertContext& ctx, const std::string& op, const std::vector<CallArgument>& args,
                 NameHint hint = {});

/// Keyword arguments, the form converters pass to emit().
inline CallArgument kw(const std::string& name, Value value) { return {name, std::move(value)}; }

/// The module path of an ONNX node's scope: `/layer1/layer1.0/conv1/Conv` -> `layer1.0.conv1`.
std::string scopePath(const std::string& nodeName);
/// The block path of a node sketchc wrote: `layer1.0.relu1`, or `enc.layers.0/MatMul_2` for
/// a node of a decomposed block.
std::string blockPath(const std::string& nodeName);
/// A name as an identifier the language accepts (or an integer, for Sequential children);
/// keywords get a trailing `_`.
std::string sanitizeComponent(const std::string& name);
/// Gives every node its path and name from the hints: scopes owned by one node name it,
/// others name their nodes `<scope>.<op>`, all deduplicated and made identifiers.
void assignPaths(RaiseState& state);

// Weight layouts.
/// A 2-D tensor transposed (Gemm's transB=0 and MatMul weights are [in, out]).
Tensor transpose2d(const Tensor& tensor);
/// `tensor` (float32) times `scale`, elementwise.
Tensor scaled(const Tensor& tensor, double scale);
/// Rows [begin, end) of dim 0, as a tensor of its own.
Tensor rows(const Tensor& tensor, int64_t begin, int64_t end);
/// Concatenation along dim 0.
Tensor concatRows(const std::vector<Tensor>& parts);
/// A float32 tensor of `shape` filled with `value`.
Tensor filled(std::vector<int64_t> shape, float value);
/// The tensor with a new shape of the same element count.
Tensor reshapedTensor(const Tensor& tensor, std::vector<int64_t> shape);

}  // namespace onnx_import
}  // namespace sketch
