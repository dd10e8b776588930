// exportOnnx: the ONNX kernel's export entry point. Builds the model (build_graph.cpp over
// the op table), lists every node an emitter could not express, then checks and writes
// (write_model.cpp). Nothing is written unless the whole model was built and checked.
#include "build_graph.h"
#include "onnx_kernel.h"
#include "write_model.h"

namespace sketch {

bool exportOnnx(const Graph& graph, const WeightStore& weights, const ExportOptions& options,
                DiagnosticEngine& diags) {
  const KernelOption& opsetRange = opsetOption();
  int64_t opsetVersion = options.value(opsetRange).asInt();
  if (opsetVersion < opsetRange.min || opsetVersion > opsetRange.max) {
    diags.reportFile(diag::KernelOptionValue, options.outputPath,
                     "opset " + std::to_string(opsetVersion) + " is not supported; use " +
                         std::to_string(opsetRange.min) + " to " + std::to_string(opsetRange.max));
    return false;
  }
  onnx::ModelProto model;
  model.set_ir_version(irVersionFor(int(opsetVersion)));
  model.set_producer_name("sketchc");
  onnx::OperatorSetIdProto& opset = *model.add_opset_import();
  opset.set_domain("");
  opset.set_version(opsetVersion);

  ExportState state;
  state.graph = &graph;
  state.weights = &weights;
  state.opset = int(opsetVersion);
  state.proto = model.mutable_graph();
  buildGraph(state);
  onnx::StringStringEntryProto& record = *model.add_metadata_props();
  record.set_key(kWrittenBlocksKey);
  record.set_value(writtenBlocks(state));
  for (const auto& [node, why] : state.failures)
    diags.report(diag::UnsupportedOp, graph.node(node).span,
                 "the onnx kernel cannot express " + why);
  if (!state.failures.empty()) return false;
  return writeModel(model, state.initializers, options, diags);
}

}  // namespace sketch
