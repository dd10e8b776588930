#include "graph/print_graph.h"

#include <algorithm>
#include <iomanip>

#include "core/value_json.h"

namespace sketch {

namespace {

std::string idList(const std::vector<NodeId>& ids) {
  std::string s = "[";
  for (size_t i = 0; i < ids.size(); ++i) s += (i ? ", " : "") + std::to_string(ids[i]);
  return s + "]";
}

std::vector<NodeId> priors(const Node& node) {
  std::vector<NodeId> ids;
  for (const auto& link : node.inputs)
    if (link && std::find(ids.begin(), ids.end(), link->source.node) == ids.end())
      ids.push_back(link->source.node);
  return ids;
}

}  // namespace

std::string describeNode(const Node& node) {
  if (node.op->category() == "input" && !node.outputs.empty())
    return "Input(" + node.outputs[0].toString() + ")";
  std::string s = node.op->name() + "(";
  bool first = true;
  for (const AttrDef& attr : node.op->attrs()) {
    auto it = node.attrs.find(attr.name);
    if (it == node.attrs.end() || it->second == attr.defaultValue) continue;
    s += (first ? "" : ", ") + attr.name + "=" + it->second.toString();
    first = false;
  }
  return s + ")";
}

void printAdjacency(const Graph& graph, std::ostream& out) {
  std::vector<std::vector<NodeId>> next = graph.successors();
  std::vector<std::string> defs;
  size_t defWidth = 7;
  for (const Node& node : graph.nodes) {
    defs.push_back(node.path + " = " + describeNode(node));
    defWidth = std::max(defWidth, defs.back().size());
  }
  out << "# sketch " << (graph.name.empty() ? "(unnamed)" : graph.name) << ": "
      << graph.nodes.size() << " nodes\n";
  out << std::left << std::setw(8) << "NodeId" << std::setw(defWidth + 2) << "NodeDef" << "AdjList\n";
  for (const Node& node : graph.nodes)
    out << std::left << std::setw(8) << node.id << std::setw(defWidth + 2) << defs[node.id]
        << "prior: " << idList(priors(node)) << "  next: " << idList(next[node.id]) << '\n';
  for (const GraphOutput& o : graph.outputs)
    out << "output " << o.name << " = " << graph.portName(o.source) << " (" << o.source.node
        << ")\n";
}

static nlohmann::json spanJson(const SourceManager& sources, Span span) {
  if (!span.isValid()) return nullptr;
  LineColumn lc = sources.lineColumn(span.file, span.begin);
  return {{"file", sources.name(span.file)}, {"line", lc.line}, {"column", lc.column}};
}

nlohmann::json graphToJson(const Graph& graph, const SourceManager& sources) {
  using json = nlohmann::json;
  json j{{"version", 1}, {"name", graph.name}, {"inputs", graph.inputs}};
  j["weights"] = graph.weightsFile.empty() ? json(nullptr) : json(graph.weightsFile);
  j["outputs"] = json::array();
  for (const GraphOutput& o : graph.outputs)
    j["outputs"].push_back({{"name", o.name}, {"node", o.source.node}, {"port", o.source.port},
                            {"type", graph.typeOf(o.source).toString()}});
  j["nodes"] = json::array();
  for (const Node& node : graph.nodes) {
    json n{{"id", node.id}, {"name", node.name}, {"path", node.path}, {"op", node.op->name()},
           {"group", node.group}, {"location", spanJson(sources, node.span)}};
    n["attrs"] = json::object();
    for (const auto& [name, value] : node.attrs) n["attrs"][name] = valueToJson(value);
    n["inputs"] = json::array();
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      const auto& link = node.inputs[i];
      n["inputs"].push_back(link ? json{{"node", link->source.node}, {"port", link->source.port}}
                                 : json(nullptr));
    }
    n["outputs"] = json::array();
    for (const TensorType& t : node.outputs) n["outputs"].push_back(t.toString());
    n["params"] = json::array();
    for (const ParamSpec& p : node.params)
      n["params"].push_back({{"name", p.name}, {"shape", p.shape}, {"dtype", dtypeName(p.dtype)},
                             {"buffer", p.buffer}});
    j["nodes"].push_back(std::move(n));
  }
  j["groups"] = json::array();
  for (const Group& g : graph.groups) {
    json group{{"name", g.name}, {"path", g.path}, {"kind", g.kind}, {"parent", g.parent},
               {"nodes", g.nodes}, {"children", g.children}};
    group["arguments"] = json::object();
    for (const auto& [name, value] : g.arguments) group["arguments"][name] = valueToJson(value);
    j["groups"].push_back(std::move(group));
  }
  return j;
}

}  // namespace sketch
