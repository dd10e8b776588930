#include "render/dot_graph.h"

#include <cstdio>
#include <set>
#include <sstream>
#include <tuple>

namespace sketch {

namespace {

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Lines of a label: DOT's "\n" between them, each escaped on its own.
std::string label(const std::vector<std::string>& lines) {
  std::string joined;
  for (const std::string& line : lines) {
    std::string q = quoted(line);
    joined += (joined.empty() ? "" : "\\n") + q.substr(1, q.size() - 2);
  }
  return "\"" + joined + "\"";
}

// 9408 -> "9.4k params": a collapsed box shows the order of magnitude, not the digits.
std::string compactCount(int64_t n) {
  char text[32];
  if (n < 1000) return std::to_string(n) + " params";
  if (n < 1000000) std::snprintf(text, sizeof text, "%.1fk params", n / 1e3);
  else std::snprintf(text, sizeof text, "%.1fM params", n / 1e6);
  return text;
}

std::string shapes(const Node& node) {
  std::string s;
  for (const TensorType& t : node.outputs) s += (s.empty() ? "" : ", ") + t.shapeString();
  return s;
}

class DotWriter {
 public:
  DotWriter(const Graph& graph, const DotOptions& options) : graph_(graph), options_(options) {
    depth_.resize(graph.groups.size());
    for (size_t g = 0; g < graph.groups.size(); ++g) {
      int d = 1;
      for (GroupId p = graph.groups[g].parent; p != kNoGroup; p = graph.groups[p].parent) ++d;
      depth_[g] = d;
    }
  }

  std::string write() {
    out_ << "digraph " << quoted(graph_.name.empty() ? "sketch" : graph_.name) << " {\n"
         << "  rankdir=TB;\n  compound=true;\n"
         << "  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=Helvetica, "
            "fontsize=10];\n"
         << "  edge [fontname=Helvetica, fontsize=9];\n";
    writeMembers(kNoGroup, "  ");
    writeEdges();
    out_ << "}\n";
    return out_.str();
  }

 private:
  bool isCollapsed(GroupId g) const { return options_.depth >= 0 && depth_[g] > options_.depth; }

  // The box that stands for a node: the outermost collapsed group around it, or itself.
  std::string boxOf(NodeId id) const {
    GroupId box = kNoGroup;
    for (GroupId g = graph_.node(id).group; g != kNoGroup; g = graph_.groups[g].parent)
      if (isCollapsed(g)) box = g;
    return box == kNoGroup ? "n" + std::to_string(id) : "g" + std::to_string(box);
  }

  int64_t groupParams(GroupId g) const {
    int64_t n = 0;
    for (NodeId id : graph_.groups[g].nodes)
      for (const ParamSpec& p : graph_.node(id).params) {
        if (p.buffer) continue;
        int64_t e = 1;
        for (int64_t d : p.shape) e *= d;
        n += e;
      }
    for (GroupId child : graph_.groups[g].children) n += groupParams(child);
    return n;
  }

  void writeNode(const Node& node, const std::string& indent) {
    out_ << indent << "n" << node.id << " [";
    if (node.op->category() == "input")
      out_ << "shape=ellipse, style=filled, fillcolor=\"#e8f0fe\", label="
           << label({node.path, node.outputs.empty() ? "" : node.outputs[0].toString()});
    else
      out_ << "label=" << label({node.path, opLabel(node), shapes(node)});
    out_ << "];\n";
  }

  void writeGroup(GroupId g, const std::string& indent) {
    const Group& group = graph_.groups[g];
    if (isCollapsed(g)) {
      out_ << indent << "g" << g << " [shape=box3d, style=filled, fillcolor=\"#eeeeee\", label="
           << label({group.path, group.kind, compactCount(groupParams(g))}) << "];\n";
      return;
    }
    out_ << indent << "subgraph cluster_" << g << " {\n"
         << indent << "  label=" << quoted(group.path + " (" + group.kind + ")")
         << ";\n" << indent << "  style=\"rounded,dashed\";\n" << indent << "  fontname=Helvetica;\n"
         << indent << "  fontsize=10;\n";
    writeMembers(g, indent + "  ");
    out_ << indent << "}\n";
  }

  // Direct members of `g` (the top level for kNoGroup), nodes and groups in graph order.
  void writeMembers(GroupId g, const std::string& indent) {
    for (const Node& node : graph_.nodes)
      if (node.group == g) writeNode(node, indent);
    for (size_t child = 0; child < graph_.groups.size(); ++child)
      if (graph_.groups[child].parent == g) writeGroup(static_cast<GroupId>(child), indent);
  }

  void writeEdges() {
    std::set<std::tuple<std::string, std::string, std::string>> edges;  // once per box pair
    for (const Node& node : graph_.nodes)
      for (const auto& link : node.inputs) {
        if (!link) continue;
        std::string from = boxOf(link->source.node), to = boxOf(node.id);
        if (from != to) edges.insert({from, to, graph_.typeOf(link->source).shapeString()});
      }
    for (const auto& [from, to, shape] : edges)
      out_ << "  " << from << " -> " << to << " [label=" << quoted(shape) << "];\n";
    for (size_t i = 0; i < graph_.outputs.size(); ++i) {
      const GraphOutput& o = graph_.outputs[i];
      out_ << "  out" << i << " [shape=ellipse, style=filled, fillcolor=\"#e6f4ea\", label="
           << label({o.name, graph_.typeOf(o.source).toString()}) << "];\n"
           << "  " << boxOf(o.source.node) << " -> out" << i << ";\n";
    }
  }

  const Graph& graph_;
  const DotOptions& options_;
  std::vector<int> depth_;
  std::ostringstream out_;
};

}  // namespace

std::string opLabel(const Node& node) {
  std::string args;
  bool positional = true;
  for (const AttrDef& attr : node.op->attrs()) {
    auto it = node.attrs.find(attr.name);
    if (it == node.attrs.end()) {
      positional = false;
      continue;
    }
    std::string value = it->second.toString();
    if (positional && (attr.required || attr.inferred)) {
      args += (args.empty() ? "" : ", ") + value;
      continue;
    }
    positional = false;
    if (it->second != attr.defaultValue) args += (args.empty() ? "" : ", ") + attr.name + "=" + value;
  }
  return node.op->name() + "(" + args + ")";
}

std::string graphToDot(const Graph& graph, const DotOptions& options) {
  return DotWriter(graph, options).write();
}

}  // namespace sketch
