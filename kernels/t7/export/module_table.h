// The export mapping table: catalogue op -> nn class builder.
//
// Each rule builds one nn module object with every field Lua Torch writes for that class
// (t7-format.md §4, checked against modules saved by real Torch7): the class-specific
// fields, the parameters and their zero gradients, the empty work buffers that
// clearState() leaves, and the common output / gradInput / _type / train=false. Merge ops
// (Add, Mul, Concat) build the table module (CAddTable, CMulTable, JoinTable) that follows
// a ConcatTable; the arrangement (arrange.h) places them. Nothing outside this file knows
// which op becomes which class.
#pragma once

#include <string>

#include "graph/graph.h"
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

struct ExportRule {
  const char* op;
  /// Attribute checks beyond the op name (output ranks stand for input ranks, which these
  /// ops keep); null when every attribute value is expressible.
  bool (*supports)(const Node& node);
  Object* (*build)(const ModuleContext& context);
  bool merge;  // joins the outputs of a ConcatTable (Add, Mul, Concat)
  /// How the nn class differs from the op, warned about on export; null when it does not.
  const char* caveat = nullptr;
};

/// The rule for an op, or null.
const ExportRule* findExportRule(const std::string& op);
/// Whether the table can express `node` with its attribute values.
bool t7Supports(const Node& node);

}  // namespace sketch::t7
