// OnnxGraph: an ONNX model as the importer's stages see it. `load` fills it from the file
// (initializers as zero-copy tensors, opset upgraded where needed); `normalise` runs ONNX
// shape inference, removes Identity nodes and folds constant shape arithmetic, so that
// converters find known shapes and constant operands instead of Shape/Gather/Concat
// chains. Converters read it but never change it.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "diag/diagnostic.h"
#include "onnx/onnx_pb.h"
#include "weights/tensor.h"

namespace sketch::onnx_import {

/// A parsed .onnx file. Parsing leaves the raw data of the main graph's large initializers
/// in the input (`rawData[i]` for initializer i; empty when the proto holds the data), so
/// that a 1 GB model is neither copied nor held twice. A model built in memory has no
/// `rawData`.
struct OnnxFile {
  std::shared_ptr<onnx::ModelProto> model;
  std::vector<std::string_view> rawData;
  std::shared_ptr<const void> owner;  // of the bytes `rawData` views
};

/// What the importer knows about one ONNX value.
struct ValueInfo {
  std::optional<TensorType> type;  // from the graph or ONNX shape inference
  std::optional<Tensor> constant;  // an initializer, a Constant or a folded value
  bool initializer = false;        // a weight of the model, or a layout of one
  /// For a weight folded into another layout (the Transpose before a MatMul, the Reshape
  /// of a PRelu slope): the initializer it comes from, whose name is the weight's name.
  std::string weightName;
};

struct OnnxGraph {
  std::shared_ptr<onnx::ModelProto> model;
  std::string path;
  int opset = 0;                                // of the default domain
  std::unordered_map<std::string, int> opsets;  // by domain
  /// Nodes still to convert, in the model's (topological) order.
  std::vector<const onnx::NodeProto*> nodes;
  std::unordered_map<std::string, ValueInfo> values;
  /// Values that are another value under a new name (removed Identity and Dropout nodes).
  std::unordered_map<std::string, std::string> aliases;

  /// The value `name` stands for after aliases.
  const std::string& resolve(const std::string& name) const;
  /// Info about a value (after aliases), or null for an unknown or empty name.
  const ValueInfo* find(const std::string& name) const;
  /// The domain's opset the model imports (1 when it lists none).
  int opsetOf(const std::string& domain) const;

  /// Nodes still to convert that read `value` (after aliases).
  const std::vector<const onnx::NodeProto*>& consumersOf(const std::string& value) const;
  /// The node still to convert that computes `value`, or null.
  const onnx::NodeProto* producerOf(const std::string& value) const;
  bool isGraphOutput(const std::string& value) const;
  /// The constant scalar operand of binary `node` whose other operand is `value` (x + eps,
  /// x * 0.5), or nothing.
  std::optional<double> scalarOperand(const onnx::NodeProto& node, const std::string& value) const;
  /// Indexes consumers and producers of `nodes`; normalise calls it last.
  void indexNodes();

 private:
  std::unordered_map<std::string, std::vector<const onnx::NodeProto*>> consumers_;
  std::unordered_map<std::string, const onnx::NodeProto*> producers_;
};

/// The node's domain, with the standard one ("ai.onnx" or "") spelt "".
std::string domainOf(const onnx::NodeProto& node);
/// Attribute `name` of `node`, or null.
const onnx::AttributeProto* findAttribute(const onnx::NodeProto& node, const std::string& name);
int64_t intAttribute(const onnx::NodeProto& node, const std::string& name, int64_t fallback);
/// An INTS attribute; empty when absent.
std::vector<int64_t> intsAttribute(const onnx::NodeProto& node, const std::string& name);

/// Parses serialized ModelProto bytes; nullopt when they are not protobuf. The raw data of
/// large initializers is not copied: `rawData` views it in `bytes`, kept alive by `owner`.
std::optional<OnnxFile> parseOnnx(std::string_view bytes, std::shared_ptr<const void> owner);
/// Maps and parses an .onnx file (reported when it cannot).
std::optional<OnnxFile> readOnnxFile(const std::string& path, DiagnosticEngine& diags);
/// Stage `load`: takes the parsed file (external data next to the model), checks the opset
/// (7-17 of the default domain) and upgrades models below 13 to 13 with ONNX's version
/// converter, so that converters see one form of Squeeze, Split, Clip, ....
std::optional<OnnxGraph> loadOnnxModel(OnnxFile file, const std::string& path,
                                       DiagnosticEngine& diags);

/// ONNX's own shape inference over the model, then every value's type into `graph.values`.
void inferOnnxShapes(OnnxGraph& graph);
/// Stage `normalise` (after inferOnnxShapes): eliminate_identity, fold_constants, and the
/// list of nodes left to convert. Nodes in `keep` (of blocks raised as written) are neither
/// eliminated nor folded.
bool normaliseOnnx(OnnxGraph& graph, const std::set<const onnx::NodeProto*>& keep,
                   DiagnosticEngine& diags);

/// The element type of an ONNX TensorProto data type, if the catalogue has it.
std::optional<DType> dtypeOfOnnx(int32_t onnxType);

/// The tensor of a TensorProto (raw bytes are viewed inside `owner`, not copied); external
/// data is read relative to `directory`. `viewedRawData` is raw data that parsing left in
/// the input (OnnxFile::rawData). On failure sets `error`.
std::optional<Tensor> tensorOfProto(const onnx::TensorProto& t, std::shared_ptr<const void> owner,
                                    const std::string& directory, std::string& error,
                                    std::string_view viewedRawData = {});
/// Adds the types of graph inputs, outputs and value_info to `graph.values`.
void collectTypes(OnnxGraph& graph);
/// Evaluates `node` when all its inputs are known (shape arithmetic); nothing otherwise.
std::optional<std::vector<Tensor>> foldNode(const onnx::NodeProto& node, const OnnxGraph& graph);

/// The shortest decimal that reads back as the same float32 (1e-05 rather than
/// 9.999999747378752e-06): ONNX stores attributes as float32, PyTorch writes them short.
double shortFloat(float value);

/// A double as int64, defined for every value a file can hold: NaN gives 0 and values
/// beyond int64 clamp (a plain cast is undefined for them).
int64_t toInt64(double value);
/// Int64 or int32 tensor elements as int64 (shape arithmetic); others through toInt64.
std::vector<int64_t> intElements(const Tensor& tensor);
/// Floating-point or integer tensor elements as double.
std::vector<double> floatElements(const Tensor& tensor);

}  // namespace sketch::onnx_import
