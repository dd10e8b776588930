// The weights of a checked graph: the file named by `--weights` or by the sketch's `weights`
// directive (relative to the sketch), bound by parameter path, the rest initialised.
#pragma once

#include <optional>
#include <string>

#include "diag/diagnostic.h"
#include "graph/graph.h"
#include "weights/bind_weights.h"

namespace sketch {

/// Seed for parameters that no file provides; fixed so that outputs are reproducible.
constexpr uint64_t kDefaultSeed = 0;

/// Every parameter and buffer of the graph, by full state_dict name, in node order.
std::vector<ParamRequest> paramRequests(const Graph& graph);

/// Loads and binds weights. `overridePath` (from --weights) wins over the directive.
/// Returns nothing when the weights file cannot be read (reported).
std::optional<WeightStore> modelWeights(const Graph& graph, const std::string& sketchPath,
                                        const std::string& overridePath, DiagnosticEngine& diags,
                                        OnShapeMismatch onMismatch = OnShapeMismatch::Error);

}  // namespace sketch
