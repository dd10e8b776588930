// infer_shapes (ONNX's own shape inference, so converters know every shape), then stage
// `normalise`: eliminate_identity (Identity nodes become aliases; an Identity of a weight,
// which torch.onnx.export writes for shared tensors, becomes a weight under its own name)
// and fold_constants (Constant nodes and shape arithmetic become known values).
#include <cstring>

#include "import/onnx_graph.h"
#include "onnx/shape_inference/implementation.h"

namespace sketch::onnx_import {

void inferOnnxShapes(OnnxGraph& graph) {
  // Shape inference that fails on one node still types the others; a model that ONNX
  // cannot type at all is converted from the types it declares.
  try {
    onnx::ShapeInferenceOptions options(/*check_type=*/false, /*error_mode=*/0,
                                        /*data_propagation=*/true);
    onnx::shape_inference::InferShapes(*graph.model, onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception&) {
  }
  collectTypes(graph);
}

namespace {

bool constantOfNode(const onnx::NodeProto& node, OnnxGraph& graph, DiagnosticEngine& diags) {
  for (const auto& a : node.attribute()) {
    std::optional<Tensor> tensor;
    std::string error;
    if (a.name() == "value") {
      tensor = tensorOfProto(a.t(), graph.model, "", error);
    } else if (a.name() == "value_float" || a.name() == "value_int") {
      bool isFloat = a.name() == "value_float";
      tensor = Tensor::zeros(isFloat ? DType::Float32 : DType::Int64, {});
      float f = a.f();
      int64_t i = a.i();
      if (isFloat)
        std::memcpy(tensor->mutableData(), &f, 4);
      else
        std::memcpy(tensor->mutableData(), &i, 8);
    } else if (a.name() == "value_ints" || a.name() == "value_floats") {
      bool isFloat = a.name() == "value_floats";
      int64_t n = isFloat ? a.floats_size() : a.ints_size();
      tensor = Tensor::zeros(isFloat ? DType::Float32 : DType::Int64, {n});
      if (n > 0 && isFloat)  // an empty field's data() may be null
        std::memcpy(tensor->mutableData(), a.floats().data(), 4 * n);
      else if (n > 0)
        std::memcpy(tensor->mutableData(), a.ints().data(), 8 * n);
    } else {
      continue;
    }
    if (!tensor) {
      diags.reportFile(diag::ModelDamaged, graph.path,
                       "Constant node '" + node.name() + "': " + error);
      return false;
    }
    ValueInfo& info = graph.values[node.output(0)];
    info.type = TensorType::of(tensor->dtype(), {});
    for (int64_t d : tensor->shape()) info.type->dims.push_back(Dim::known(d));
    info.constant = std::move(tensor);
    return true;
  }
  diags.reportFile(diag::ModelDamaged, graph.path,
                   "Constant node '" + node.name() + "' has no value this importer reads");
  return false;
}

bool isStandard(const onnx::NodeProto& node) { return domainOf(node).empty(); }

/// An Identity of a weight gives the weight a second name: keep it as a weight of its own.
void eliminateIdentity(const onnx::NodeProto& node, OnnxGraph& graph) {
  const ValueInfo* source = graph.find(node.input(0));
  if (source && source->initializer) {
    graph.values[node.output(0)] = *source;
    return;
  }
  graph.aliases[node.output(0)] = graph.resolve(node.input(0));
}

/// A weight in another layout is still that weight (exporters transpose a Linear's weight
/// for MatMul, reshape a PRelu slope to broadcast): converters that take it as a layer's
/// parameter name the layer after the original.
void keepWeightName(const onnx::NodeProto& node, const OnnxGraph& graph, ValueInfo& info) {
  static const char* const kLayouts[] = {"Transpose", "Reshape", "Squeeze", "Unsqueeze",
                                         "Flatten"};
  bool layout = false;
  for (const char* op : kLayouts) layout = layout || node.op_type() == op;
  const ValueInfo* source = node.input_size() > 0 ? graph.find(node.input(0)) : nullptr;
  if (!layout || !source || !source->initializer) return;
  info.initializer = true;
  info.weightName = source->weightName.empty() ? graph.resolve(node.input(0)) : source->weightName;
}

}  // namespace

bool normaliseOnnx(OnnxGraph& graph, const std::set<const onnx::NodeProto*>& keep,
                   DiagnosticEngine& diags) {
  for (const onnx::NodeProto& node : graph.model->graph().node()) {
    if (keep.count(&node)) {
      graph.nodes.push_back(&node);
      continue;
    }
    if (isStandard(node) && node.op_type() == "Identity" && node.input_size() == 1 &&
        node.output_size() == 1) {
      eliminateIdentity(node, graph);
      continue;
    }
    if (isStandard(node) && node.op_type() == "Constant" && node.output_size() == 1) {
      if (!constantOfNode(node, graph, diags)) return false;
      continue;
    }
    if (node.output_size() == 1) {
      if (auto folded = foldNode(node, graph)) {
        ValueInfo& info = graph.values[node.output(0)];
        Tensor& t = folded->front();
        info.type = TensorType::of(t.dtype(), {});
        for (int64_t d : t.shape()) info.type->dims.push_back(Dim::known(d));
        info.constant = std::move(t);
        keepWeightName(node, graph, info);
        continue;
      }
    }
    graph.nodes.push_back(&node);
  }
  graph.indexNodes();
  return true;
}

}  // namespace sketch::onnx_import
