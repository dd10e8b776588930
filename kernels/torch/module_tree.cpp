#include "module_tree.h"

#include <algorithm>
#include <map>
#include <set>

#include "torch_ops.h"

namespace sketch {

namespace {

/// A direct child of a module's scope: a node, or a group taken as one unit.
struct Unit {
  bool isGroup = false;
  uint32_t id = 0;  // NodeId or GroupId
  NodeId firstNode = 0;  // ordering key: source order
};

std::string variableName(const std::string& name) {
  std::string out = "x_";
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

std::string indent(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += "    " + line + "\n";
  return out;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

/// Constructor arguments that differ from the op's defaults, as print(model) would show.
std::string argumentsOf(const Node& node) {
  std::string out;
  for (const AttrDef& def : node.op->attrs()) {
    auto it = node.attrs.find(def.name);
    if (it == node.attrs.end() || it->second == def.defaultValue) continue;
    out += (out.empty() ? "" : ", ") + def.name + "=" + it->second.toString();
  }
  return out;
}

/// The node's attributes whose names no parameter, submodule or torch.nn.Module member takes.
Attrs attributesOf(const Node& node, const TorchModule& module) {
  Attrs out;
  for (const auto& [name, value] : node.attrs) {
    bool taken = name == "training" || name == "forward";
    for (const TorchParam& p : module.params) taken = taken || p.attribute == name;
    for (const ParamSpec& p : node.params) taken = taken || p.name.substr(0, p.name.find('.')) == name;
    if (!taken) out[name] = value;
  }
  return out;
}

class TreeBuilder {
 public:
  TreeBuilder(const Graph& graph, DiagnosticEngine& diags) : graph_(graph), diags_(diags) {}

  std::optional<ModuleTree> build() {
    if (hasReservedNames()) return std::nullopt;
    tree_.modules.push_back({"", "", graph_.name, "", {}, {}, "", {}});
    groupModule_.assign(graph_.groups.size(), 0);
    nodeModule_.assign(graph_.nodes.size(), 0);
    addChildren(kNoGroup, 0);
    for (NodeId id : graph_.inputs)
      tree_.interface += "input\t" + graph_.node(id).name + "\t" + graph_.node(id).outputs[0].toString() + "\n";
    for (const GraphOutput& output : graph_.outputs) tree_.interface += "output\t" + output.name + "\n";
    if (!writeForward(kNoGroup, 0)) return std::nullopt;
    for (size_t g = 0; g < graph_.groups.size(); ++g)
      if (!writeForward(static_cast<GroupId>(g), groupModule_[g])) return std::nullopt;
    return std::move(tree_);
  }

 private:
  /// A module attribute named like one every torch module has would replace it.
  bool hasReservedNames() {
    auto reserved = [](const std::string& name) { return name == "training" || name == "forward"; };
    size_t before = diags_.errorCount();
    for (const Node& node : graph_.nodes)
      if (node.op->name() != "Input" && reserved(node.name))
        diags_.report(diag::UnsupportedStructure, node.span,
                      "the torch kernel cannot name a block '" + node.name +
                          "': every PyTorch module has an attribute of that name")
            .help = "rename the block";
    for (const Group& group : graph_.groups)
      if (reserved(group.name))
        diags_.report(diag::UnsupportedStructure, group.span,
                      "the torch kernel cannot name a block '" + group.name +
                          "': every PyTorch module has an attribute of that name")
            .help = "rename the block";
    return diags_.errorCount() > before;
  }

  size_t addModule(size_t parent, std::string name, std::string path, std::string type) {
    tree_.modules.push_back({std::move(name), std::move(path), std::move(type), "", {}, {}, "", {}});
    tree_.modules[parent].children.push_back(tree_.modules.size() - 1);
    return tree_.modules.size() - 1;
  }

  /// Units of a scope in source order (the order PyTorch would register them).
  std::vector<Unit> unitsOf(GroupId scope) const {
    std::vector<Unit> units;
    for (const Node& node : graph_.nodes)
      if (node.group == scope && node.op->name() != "Input") units.push_back({false, node.id, node.id});
    for (size_t g = 0; g < graph_.groups.size(); ++g)
      if (graph_.groups[g].parent == scope) units.push_back({true, uint32_t(g), firstNode(GroupId(g))});
    std::stable_sort(units.begin(), units.end(),
                     [](const Unit& a, const Unit& b) { return a.firstNode < b.firstNode; });
    return units;
  }

  NodeId firstNode(GroupId group) const {
    for (const Node& node : graph_.nodes)
      if (contains(group, node.id)) return node.id;
    return NodeId(graph_.nodes.size());
  }

  bool contains(GroupId group, NodeId node) const {
    if (group == kNoGroup) return true;
    for (GroupId g = graph_.node(node).group; g != kNoGroup; g = graph_.groups[g].parent)
      if (g == group) return true;
    return false;
  }

  void addChildren(GroupId scope, size_t module) {
    for (const Unit& unit : unitsOf(scope)) {
      if (unit.isGroup) {
        const Group& group = graph_.groups[unit.id];
        size_t child = addModule(module, group.name, group.path, group.kind);
        groupModule_[unit.id] = child;
        addChildren(GroupId(unit.id), child);
        continue;
      }
      const Node& node = graph_.node(unit.id);
      const TorchOp* row = torchOps().writer(node.op->name());
      if (!row->isModule) {  // a tensor function; a Parameter lives on the parent
        for (const ParamSpec& p : node.params)
          tree_.modules[module].params.push_back({node.name, node.path, p.buffer});
        continue;
      }
      size_t leaf = addModule(module, node.name, node.path, row->moduleType(node.op->name()));
      tree_.modules[leaf].arguments = argumentsOf(node);
      nodeModule_[node.id] = leaf;
      for (const ParamSpec& p : node.params) addParam(leaf, *row, node, p);
      tree_.modules[leaf].attributes = attributesOf(node, tree_.modules[leaf]);
    }
  }

  /// Registers `p` in the leaf, creating the nested submodules of a dotted name.
  void addParam(size_t leaf, const TorchOp& row, const Node& node, const ParamSpec& p) {
    size_t holder = leaf;
    std::string rest = p.name, prefix;
    for (size_t dot = rest.find('.'); dot != std::string::npos; dot = rest.find('.')) {
      std::string part = rest.substr(0, dot);
      prefix += (prefix.empty() ? "" : ".") + part;
      rest = rest.substr(dot + 1);
      auto& children = tree_.modules[holder].children;
      auto found = std::find_if(children.begin(), children.end(),
                                [&](size_t c) { return tree_.modules[c].name == part; });
      if (found != children.end()) {
        holder = *found;
        continue;
      }
      std::string type = "Module";
      for (const auto& [name, childType] : row.children)
        if (prefix == name) type = childType;
      holder = addModule(holder, part, node.path + "." + prefix, type);
    }
    tree_.modules[holder].params.push_back({rest, node.path + "." + p.name, p.buffer});
  }

  /// Ports produced outside `group` that its nodes read, in node and port order.
  std::vector<PortRef> groupInputs(GroupId group) const {
    std::vector<PortRef> out;
    for (const Node& node : graph_.nodes) {
      if (!contains(group, node.id)) continue;
      for (const auto& link : node.inputs)
        if (link && !contains(group, link->source.node) &&
            std::find(out.begin(), out.end(), link->source) == out.end())
          out.push_back(link->source);
    }
    return out;
  }

  /// Ports produced inside `group` that something outside reads (or a graph output).
  std::vector<PortRef> groupOutputs(GroupId group) const {
    std::set<PortRef> out;
    for (const Node& node : graph_.nodes) {
      if (contains(group, node.id)) continue;
      for (const auto& link : node.inputs)
        if (link && contains(group, link->source.node)) out.insert(link->source);
    }
    for (const GraphOutput& o : graph_.outputs)
      if (contains(group, o.source.node)) out.insert(o.source);
    return {out.begin(), out.end()};
  }

  std::vector<PortRef> unitInputs(const Unit& unit) const {
    if (unit.isGroup) return groupInputs(GroupId(unit.id));
    std::vector<PortRef> out;
    for (const auto& link : graph_.node(unit.id).inputs)
      if (link) out.push_back(link->source);
    return out;
  }

  std::optional<size_t> unitIndexOf(const std::vector<Unit>& units, NodeId node) const {
    for (size_t i = 0; i < units.size(); ++i)
      if (units[i].isGroup ? contains(GroupId(units[i].id), node) : units[i].id == node) return i;
    return std::nullopt;
  }

  /// Units in an order where producers come first (Kahn's algorithm, source order on ties).
  std::optional<std::vector<Unit>> ordered(GroupId scope, const std::vector<Unit>& units) const {
    std::vector<std::set<size_t>> deps(units.size());
    for (size_t i = 0; i < units.size(); ++i)
      for (const PortRef& source : unitInputs(units[i]))
        if (auto producer = unitIndexOf(units, source.node); producer && *producer != i)
          deps[i].insert(*producer);
    std::vector<Unit> out;
    std::vector<bool> done(units.size(), false);
    while (out.size() < units.size()) {
      size_t next = units.size();
      for (size_t i = 0; i < units.size() && next == units.size(); ++i)
        if (!done[i] && std::all_of(deps[i].begin(), deps[i].end(), [&](size_t d) { return done[d]; }))
          next = i;
      if (next == units.size()) {
        const std::string where = scope == kNoGroup ? "the sketch" : "'" + graph_.groups[scope].path + "'";
        diags_.reportFile(diag::UnsupportedStructure, graph_.name,
                          "the torch kernel cannot order the blocks of " + where +
                              ": links leave a block and come back into it")
            .help = "split the block so that each one is called once";
        return std::nullopt;
      }
      done[next] = true;
      out.push_back(units[next]);
    }
    return out;
  }

  /// Writes one call or expression and binds its outputs to fresh variables.
  void writeUnit(const Unit& unit, std::map<PortRef, std::string>& vars,
                 std::vector<std::string>& body) const {
    std::vector<PortRef> outputs;
    std::string name, result;
    if (unit.isGroup) {
      const Group& group = graph_.groups[unit.id];
      name = group.name;
      std::vector<std::string> args;
      for (const PortRef& p : groupInputs(GroupId(unit.id))) args.push_back(vars.at(p));
      result = torchMember("self", group.name) + ".forward(" + joined(args) + ")";
      outputs = groupOutputs(GroupId(unit.id));
    } else {
      const Node& node = graph_.node(unit.id);
      name = node.name;
      for (uint32_t i = 0; i < node.outputs.size(); ++i) outputs.push_back({node.id, i});
      if (torchOps().writer(node.op->name())->isModule) {
        std::vector<std::string> args;
        for (const auto& link : node.inputs)
          if (link) args.push_back(vars.at(link->source));
        result = torchMember("self", node.name) + ".forward(" + joined(args) + ")";
      } else {
        TorchEmission e = emit(node, vars, "self.");
        body.insert(body.end(), e.statements.begin(), e.statements.end());
        result = e.result;
      }
    }
    if (outputs.empty()) {
      body.push_back(result);
      return;
    }
    std::vector<std::string> names;
    for (size_t i = 0; i < outputs.size(); ++i) {
      names.push_back(variableName(name) + (outputs.size() > 1 ? "_" + std::to_string(i) : ""));
      vars[outputs[i]] = names.back();
    }
    body.push_back(joined(names) + " = " + result);
  }

  /// The emission of a node whose input ports read `vars` ("None" when unconnected).
  TorchEmission emit(const Node& node, const std::map<PortRef, std::string>& vars,
                     const std::string& prefix) const {
    TorchEmitContext context{node, {}, {}, prefix};
    for (const auto& link : node.inputs) {
      context.inputs.push_back(link ? vars.at(link->source) : "None");
      context.inputRanks.push_back(link ? int(graph_.typeOf(link->source).dims.size()) : -1);
    }
    return torchOps().writer(node.op->name())->emit(context);
  }

  /// A leaf module's forward: its connected ports are the arguments.
  void writeLeafForward(const Node& node) {
    std::map<PortRef, std::string> vars;
    std::vector<std::string> args = {"self"};
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      if (!node.inputs[i]) continue;
      size_t portIndex = std::min(i, node.op->inputs().size() - 1);
      std::string arg = node.op->inputs()[portIndex].name;
      if (node.op->inputs()[portIndex].variadic) arg += "_" + std::to_string(i - portIndex);
      args.push_back(arg);
      vars[node.inputs[i]->source] = arg;
    }
    TorchEmission e = emit(node, vars, "self.");
    e.statements.push_back("return " + e.result);
    tree_.modules[nodeModule_[node.id]].forward =
        "def forward(" + joined(args) + "):\n" + indent(e.statements);
  }

  bool writeForward(GroupId scope, size_t module) {
    std::map<PortRef, std::string> vars;
    std::vector<std::string> args = {"self"};
    if (scope == kNoGroup) {
      for (NodeId input : graph_.inputs) {
        const std::string& name = graph_.node(input).name;
        args.push_back(name == "self" || !isTorchIdentifier(name) ? variableName(name) : name);
        vars[{input, 0}] = args.back();
      }
    } else {
      std::vector<PortRef> inputs = groupInputs(scope);
      for (size_t i = 0; i < inputs.size(); ++i) {
        args.push_back(inputs.size() == 1 ? "input" : "input_" + std::to_string(i));
        vars[inputs[i]] = args.back();
      }
    }
    std::vector<Unit> units = unitsOf(scope);
    std::optional<std::vector<Unit>> order = ordered(scope, units);
    if (!order) return false;
    std::vector<std::string> body;
    for (const Unit& unit : *order) {
      writeUnit(unit, vars, body);
      if (!unit.isGroup && nodeModule_[unit.id]) writeLeafForward(graph_.node(unit.id));
    }
    std::vector<std::string> results;
    if (scope == kNoGroup)
      for (const GraphOutput& o : graph_.outputs) results.push_back(vars.at(o.source));
    else
      for (const PortRef& p : groupOutputs(scope)) results.push_back(vars.at(p));
    body.push_back("return " + (results.size() == 1 ? results[0] : "(" + joined(results) + ")"));
    tree_.modules[module].forward = "def forward(" + joined(args) + "):\n" + indent(body);
    return true;
  }

  const Graph& graph_;
  DiagnosticEngine& diags_;
  ModuleTree tree_;
  std::vector<size_t> groupModule_;  // by GroupId
  std::vector<size_t> nodeModule_;   // by NodeId; 0 for nodes written inline
};

void appendRepr(const ModuleTree& tree, size_t index, const std::string& pad, std::string& out) {
  const TorchModule& m = tree.modules[index];
  out += m.type + "(";
  if (m.children.empty()) {
    out += m.arguments + ")";
    return;
  }
  out += "\n";
  for (size_t child : m.children) {
    out += pad + "  (" + tree.modules[child].name + "): ";
    appendRepr(tree, child, pad + "  ", out);
    out += "\n";
  }
  out += pad + ")";
}

}  // namespace

std::optional<ModuleTree> buildModuleTree(const Graph& graph, DiagnosticEngine& diags) {
  return TreeBuilder(graph, diags).build();
}

std::string moduleTreeCode(const ModuleTree& tree) {
  std::string out;
  for (const TorchModule& m : tree.modules) {
    if (m.forward.empty()) continue;
    out += "class " + m.type + "(Module):  # " + (m.path.empty() ? "<root>" : m.path) + "\n";
    std::string line;
    for (char c : m.forward) {
      line += c;
      if (c != '\n') continue;
      out += "  " + line;
      line.clear();
    }
    out += "\n";
  }
  return out;
}

std::string moduleTreeRepr(const ModuleTree& tree) {
  std::string out;
  appendRepr(tree, 0, "", out);
  return out + "\n";
}

}  // namespace sketch
