// `sketchc summary`: a torchinfo-style table of a checked graph, as text or JSON.
#pragma once

#include <ostream>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "graph/graph.h"

namespace sketch {

/// MACs are counted per sample: the leading dim of each graph input is the batch. A block
/// whose sizes depend on any other symbol has no count until those sizes are given
/// (`--input-shape`); `macsDependOn` names the symbols.
struct SummaryRow {
  const Node* node;
  int64_t params = 0;   // trainable parameter elements
  int64_t buffers = 0;  // buffer elements
  int64_t macs = 0;     // meaningful only when macsDependOn is empty
  std::set<std::string> macsDependOn;
};

struct Summary {
  std::vector<SummaryRow> rows;  // graph inputs excluded, declaration order
  int64_t params = 0;
  int64_t buffers = 0;
  int64_t macs = 0;  // meaningful only when macsDependOn is empty
  std::set<std::string> macsDependOn;
  int64_t paramBytes = 0;  // parameters and buffers, at their dtypes
};

Summary summarize(const Graph& graph);
void printSummary(const Graph& graph, const Summary& summary, std::ostream& out);
/// A MAC count, or null when it depends on sizes not given.
nlohmann::json macsJson(int64_t macs, const std::set<std::string>& dependOn);
nlohmann::json summaryJson(const Graph& graph, const Summary& summary, const std::string& file);

/// 11689512 -> "11,689,512".
std::string withThousands(int64_t n);

}  // namespace sketch
