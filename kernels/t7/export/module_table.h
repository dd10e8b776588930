// The builders of nn modules, one per class family, for the op table's rows (t7_ops.cpp).
//
// Each builds one nn module object with every field Lua Torch writes for that class
// (t7-format.md §4, checked against modules saved by real Torch7): the class-specific
// fields, the parameters and their zero gradients, the empty work buffers that
// clearState() leaves, and the common output / gradInput / _type / train=false. Merge ops
// (Add, Mul, Concat) build the table module (CAddTable, CMulTable, JoinTable) that follows
// a ConcatTable; the arrangement (arrange.h) places them.
#pragma once

#include <string>

#include "graph/graph.h"
#include "t7_ops.h"
#include "t7_object.h"
#include "weights/tensor.h"

namespace sketch::t7 {

/// Which of a module's output / gradInput is a table rather than a tensor.
enum class TableField { None, Output, GradInput };

/// An nn module with the fields every module has (output, gradInput, _type, train=false),
/// for a model of tensor type `dtype`.
Object* newModule(Document& doc, DType dtype, const std::string& className, int version = 1,
                  TableField tables = TableField::None);

/// What a rule sees: the node, the graph (for input shapes), the weights, and the document
/// it builds into.
struct ModuleContext {
  Document& doc;
  DType dtype;  // Float32 (FloatTensor model) or Float64 (DoubleTensor model)
  const Graph& graph;
  const WeightStore& weights;
  const Node& node;

  Object* module(const std::string& className, int version = 1,
                 TableField tables = TableField::None) const {
    return newModule(doc, dtype, className, version, tables);
  }
  Object* emptyTensor() const;
  /// The node's parameter `name` as a tensor of the model's type (weights are complete:
  /// the driver initialised every missing one).
  Object* param(const std::string& name) const;
  /// A zero tensor of the model's type with `tensor`'s sizes (a gradient buffer).
  Object* zerosLike(const Object* tensor) const;
  /// Sets `name` to the parameter and `gradName` to zeros of its shape.
  void setParam(Object* module, const std::string& field, const std::string& gradField,
                const std::string& name) const;
  const TensorType& inputType() const { return graph.typeOf(node.inputs[0]->source); }
};

// Builders for the op table's rows (t7_ops.cpp), and the checks of attribute values
// their nn classes can express.
/// The row's class with its mapped attributes and fixed fields (LeakyReLU's negval).
Object* buildMapped(const ModuleContext& c, const T7Op& row);
Object* buildConv(const ModuleContext& c, const T7Op& row);
Object* buildConvTranspose(const ModuleContext& c, const T7Op& row);
Object* buildLinear(const ModuleContext& c, const T7Op& row);
Object* buildBatchNorm(const ModuleContext& c, const T7Op& row);
Object* buildPReLU(const ModuleContext& c, const T7Op& row);
Object* buildMaxPool(const ModuleContext& c, const T7Op& row);
Object* buildAvgPool(const ModuleContext& c, const T7Op& row);
Object* buildAdaptivePool(const ModuleContext& c, const T7Op& row);
Object* buildDropout(const ModuleContext& c, const T7Op& row);
/// A View keeping dim 0 (the batch) and reshaping the rest (Flatten, Reshape).
Object* buildBatchView(const ModuleContext& c, const T7Op& row);
Object* buildEmbedding(const ModuleContext& c, const T7Op& row);
Object* buildLSTM(const ModuleContext& c, const T7Op& row);
Object* buildGRU(const ModuleContext& c, const T7Op& row);
/// Table modules after a ConcatTable: CAddTable, CMulTable.
Object* buildTableModule(const ModuleContext& c, const T7Op& row);
Object* buildJoinTable(const ModuleContext& c, const T7Op& row);

bool plainConv(const Node& n);
bool supportsLinear(const Node& n);
bool supportsBatchNorm(const Node& n);
bool supportsBatchNorm1d(const Node& n);
bool supportsSoftmax(const Node& n);
bool supportsMaxPool(const Node& n);
bool supportsAvgPool(const Node& n);
bool supportsAdaptivePool(const Node& n);
bool supportsFlatten(const Node& n);
bool supportsReshape(const Node& n);
bool supportsEmbedding(const Node& n);
bool supportsRecurrent(const Node& n);

}  // namespace sketch::t7
