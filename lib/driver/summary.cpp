#include "driver/summary.h"

#include <algorithm>
#include <cctype>
#include <iomanip>

#include "core/join.h"

namespace sketch {

namespace {

int64_t elements(const ParamSpec& p) {
  int64_t n = 1;
  for (int64_t d : p.shape) n *= d;
  return n;
}

std::string outputShapes(const Node& node) {
  std::string s;
  for (const TensorType& t : node.outputs) s += (s.empty() ? "" : ", ") + t.shapeString();
  return s;
}

std::string fullName(const Node& node, const ParamSpec& p) {
  return p.name.empty() ? node.path : node.path + "." + p.name;
}

/// `N`, not `2*N` or `N-1`.
bool isPlainSymbol(const Dim& d) { return d.isSymbolic() && d.scale() == 1 && d.offset() == 0; }

/// The batch symbols: the leading dim of each graph input, when it is a plain symbol.
std::set<std::string> batchSymbols(const Graph& graph) {
  std::set<std::string> batch;
  for (NodeId id : graph.inputs) {
    const TensorType& t = graph.node(id).outputs.at(0);
    if (t.rank() > 0 && isPlainSymbol(t.dims[0])) batch.insert(t.dims[0].symbolName());
  }
  return batch;
}

/// The symbols in a dim's expression (not the functions or keywords of opaque ones, such
/// as `ceil_pool(H-2, k=2, ...)`).
void addSymbols(const Dim& d, std::set<std::string>& out) {
  const std::string& text = d.symbolName();
  for (size_t i = 0; i < text.size();) {
    if (!std::isalpha(static_cast<unsigned char>(text[i])) && text[i] != '_') {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                                 text[end] == '_'))
      ++end;
    size_t next = text.find_first_not_of(' ', end);
    if (next == std::string::npos || (text[next] != '(' && text[next] != '='))
      out.insert(text.substr(i, end - i));
    i = end;
  }
}

/// The symbols other than a plain batch dim that a node's sizes depend on.
std::set<std::string> sizeSymbols(const std::vector<TensorType>& types,
                                  const std::set<std::string>& batch) {
  std::set<std::string> symbols;
  for (const TensorType& t : types)
    for (const Dim& d : t.dims)
      if (d.isSymbolic() && !(isPlainSymbol(d) && batch.count(d.symbolName())))
        addSymbols(d, symbols);
  return symbols;
}

}  // namespace

std::string withThousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

Summary summarize(const Graph& graph) {
  Summary s;
  std::set<std::string> batch = batchSymbols(graph);
  for (const Node& node : graph.nodes) {
    if (node.op->category() == "input") continue;
    SummaryRow row{&node};
    for (const ParamSpec& p : node.params) {
      (p.buffer ? row.buffers : row.params) += elements(p);
      s.paramBytes += elements(p) * static_cast<int64_t>(dtypeSize(p.dtype));
    }
    std::vector<TensorType> inputs;
    for (const auto& link : node.inputs)
      inputs.push_back(link ? graph.typeOf(link->source) : TensorType::errorType());
    if (!node.hasErrors && node.op->macFn()) {
      row.macs = node.op->macFn()(node.attrs, inputs, node.outputs);
      // A symbolic size counts as 1 in the count: only the batch may.
      if (row.macs) {
        std::vector<TensorType> types = inputs;
        types.insert(types.end(), node.outputs.begin(), node.outputs.end());
        row.macsDependOn = sizeSymbols(types, batch);
      }
    }
    s.params += row.params;
    s.buffers += row.buffers;
    s.macs += row.macs;
    s.macsDependOn.insert(row.macsDependOn.begin(), row.macsDependOn.end());
    s.rows.push_back(row);
  }
  return s;
}

void printSummary(const Graph& graph, const Summary& summary, std::ostream& out) {
  size_t pathWidth = 12, opWidth = 10, shapeWidth = 16;
  for (const SummaryRow& r : summary.rows) {
    pathWidth = std::max(pathWidth, r.node->path.size());
    opWidth = std::max(opWidth, r.node->op->name().size());
    shapeWidth = std::max(shapeWidth, outputShapes(*r.node).size());
  }
  size_t width = pathWidth + opWidth + shapeWidth + 15 + 17 + 8;
  std::string rule(width, '=');
  auto line = [&](const std::string& a, const std::string& b, const std::string& c,
                  const std::string& d, const std::string& e) {
    out << std::left << std::setw(pathWidth + 2) << a << std::setw(opWidth + 2) << b
        << std::setw(shapeWidth + 2) << c << std::right << std::setw(15) << d << std::setw(17) << e
        << '\n';
  };
  out << "sketch " << (graph.name.empty() ? "(unnamed)" : graph.name) << '\n' << rule << '\n';
  line("Block", "Op", "Output Shape", "Param #", "MACs");
  out << rule << '\n';
  for (NodeId id : graph.inputs) {
    const Node& input = graph.node(id);
    line(input.path, "Input", outputShapes(input), "--", "--");
  }
  for (const SummaryRow& r : summary.rows)
    line(r.node->path, r.node->op->name(), outputShapes(*r.node),
         r.params + r.buffers ? withThousands(r.params) : "--",
         !r.macsDependOn.empty() ? "?" : r.macs ? withThousands(r.macs) : "--");
  out << rule << '\n';
  out << "Total params: " << withThousands(summary.params) << '\n';
  out << "Trainable params: " << withThousands(summary.params) << '\n';
  out << "Non-trainable params (buffers): " << withThousands(summary.buffers) << '\n';
  if (summary.macsDependOn.empty())
    out << "Total MACs (per sample): " << withThousands(summary.macs) << '\n';
  else
    out << "Total MACs (per sample): ? (they depend on " << join(summary.macsDependOn, ", ")
        << "; give sizes with --input-shape)\n";
  out << "Parameter size (MB): " << std::fixed << std::setprecision(2)
      << summary.paramBytes / 1e6 << '\n';
  out << rule << '\n';
}

nlohmann::json macsJson(int64_t macs, const std::set<std::string>& dependOn) {
  return dependOn.empty() ? nlohmann::json(macs) : nlohmann::json(nullptr);
}

nlohmann::json summaryJson(const Graph& graph, const Summary& summary, const std::string& file) {
  using json = nlohmann::json;
  json j;
  j["version"] = 1;
  j["sketch"] = graph.name;
  j["file"] = file;
  j["inputs"] = json::array();
  for (NodeId id : graph.inputs)
    j["inputs"].push_back({{"name", graph.node(id).name}, {"type", graph.node(id).outputs[0].toString()}});
  j["outputs"] = json::array();
  for (const GraphOutput& o : graph.outputs)
    j["outputs"].push_back({{"name", o.name}, {"type", graph.typeOf(o.source).toString()}});
  j["blocks"] = json::array();
  for (const SummaryRow& r : summary.rows) {
    json block{{"path", r.node->path}, {"op", r.node->op->name()}, {"params", r.params},
               {"buffers", r.buffers}, {"macs", macsJson(r.macs, r.macsDependOn)}};
    if (!r.macsDependOn.empty()) block["macs_depend_on"] = r.macsDependOn;
    block["outputs"] = json::array();
    for (const TensorType& t : r.node->outputs) block["outputs"].push_back(t.shapeString());
    block["parameters"] = json::array();
    for (const ParamSpec& p : r.node->params)
      block["parameters"].push_back({{"name", fullName(*r.node, p)}, {"shape", p.shape},
                                     {"dtype", dtypeName(p.dtype)}, {"buffer", p.buffer}});
    j["blocks"].push_back(std::move(block));
  }
  j["totals"] = {{"params", summary.params}, {"trainable", summary.params},
                 {"buffers", summary.buffers},
                 {"macs", macsJson(summary.macs, summary.macsDependOn)},
                 {"param_bytes", summary.paramBytes}};
  if (!summary.macsDependOn.empty()) j["totals"]["macs_depend_on"] = summary.macsDependOn;
  return j;
}

}  // namespace sketch
