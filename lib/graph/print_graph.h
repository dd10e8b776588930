// Printing a checked graph: the Sketch paper's adjacency list (NodeId, NodeDef, AdjList with
// prior/next lists) and the full graph as JSON (nodes, ports, edges, groups, locations).
#pragma once

#include <ostream>

#include <nlohmann/json.hpp>

#include "diag/source_manager.h"
#include "graph/graph.h"

namespace sketch {

/// "Conv2d(in_channels=3, out_channels=64, kernel_size=7, stride=2)": the op with every
/// attribute that differs from its default (inferred ones included).
std::string describeNode(const Node& node);

void printAdjacency(const Graph& graph, std::ostream& out);
nlohmann::json graphToJson(const Graph& graph, const SourceManager& sources);

}  // namespace sketch
