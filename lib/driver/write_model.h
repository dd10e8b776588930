// The last step of compile and convert: a checked graph with bound weights, written by a
// kernel without ever overwriting one of the run's input files.
#pragma once

#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "kernel/kernel.h"

namespace sketch {

/// Exports through `kernel` to `options.outputPath`; `inputs` (the files the run reads)
/// are added to the protected paths. Returns whether the file was written.
bool writeModel(const Kernel& kernel, const Graph& graph, const WeightStore& weights,
                ExportOptions options, const std::vector<std::string>& inputs, DiagnosticEngine& diags);

}  // namespace sketch
