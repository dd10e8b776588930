// exportOnnx: the ONNX kernel's export entry point. Builds the model (build_graph.cpp over
// the op table), lists every node an emitter could not express, then checks and writes
// (write_model.cpp). Nothing is written unless the whole model was built and checked.
#include "build_graph.h"
#include "onnx_kernel.h"
#include "write_model.h"

namespace sketch {

namespace {

constexpr int kMinOpset = 13;
constexpr int kMaxOpset = 17;

}  // namespace

bool exportOnnx(const Graph& graph, const WeightStore& weights, const ExportOptions& options,
                DiagnosticEngine& diags) {
  if (options.opset < kMinOpset || options.opset > kMaxOpset) {
    diags.reportFile(diag::KernelError, options.outputPath,
                     "opset " + std::to_string(options.opset) + " is not supported; use " +
                         std::to_string(kMinOpset) + " to " + std::to_string(kMaxOpset));
    return false;
  }
  onnx::ModelProto model;
  model.set_ir_version(irVersionFor(options.opset));
  model.set_producer_name("sketchc");
  onnx::OperatorSetIdProto& opset = *model.add_opset_import();
  opset.set_domain("");
  opset.set_version(options.opset);

  ExportState state;
  state.graph = &graph;
  state.weights = &weights;
  state.opset = options.opset;
  state.proto = model.mutable_graph();
  buildGraph(state);
  for (const auto& [node, why] : state.failures)
    diags.report(diag::UnsupportedOp, graph.node(node).span,
                 "the onnx kernel cannot express " + why);
  if (!state.failures.empty()) return false;
  return writeModel(model, state.initializers, options, diags);
}

}  // namespace sketch
