// The ONNX kernel: `.onnx` files in the standard domain, opsets 13-17 on export and 7-17 on
// import. Export lives in export/, import in import/; this class only joins them.
#pragma once

#include <memory>

#include "kernel/kernel.h"

namespace sketch {

std::unique_ptr<Kernel> makeOnnxKernel();

/// --opset: the opset written, 13 to 17.
const KernelOption& opsetOption();
/// --external-data: weights in a file beside the model even below 2 GB.
const KernelOption& externalDataOption();

/// Writes `graph` as ONNX (export/); every written model passed the checker and strict
/// shape inference before it was renamed into place.
bool exportOnnx(const Graph& graph, const WeightStore& weights, const ExportOptions& options,
                DiagnosticEngine& diags);
/// Reads an ONNX model as a graph plus weights (import/).
std::optional<ImportedModel> importOnnx(const std::string& path, const ImportOptions& options,
                                        DiagnosticEngine& diags);

}  // namespace sketch
