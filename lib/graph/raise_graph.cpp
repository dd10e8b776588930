#include "graph/raise_graph.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <set>

#include "lang/parser.h"
#include "ops/catalogue.h"


namespace sketch {

namespace {

constexpr NodeId kNoNode = ~NodeId{0};

/// One path component: a node (leaf) or a group of children.
struct Tree {
  std::string name;
  NodeId node = kNoNode;
  std::vector<std::unique_ptr<Tree>> children;  // in first-appearance order
  std::map<std::string, Tree*> byName;
  std::set<NodeId> nodes;  // every node below
  // How the tree prints (for groups): a Sequential, or an instance of definition `def`.
  bool sequential = false;
  int def = -1;
  // Its ports as a unit: distinct sources from outside, outputs used outside.
  std::vector<PortRef> ins;
  std::vector<PortRef> outs;

  bool isLeaf() const { return node != kNoNode; }
};

/// A call as it will print: `Op(args)`, `Sequential(children)` or `Def(args)`.
struct Call {
  std::string callee;
  std::vector<std::pair<std::string, Value>> args;  // keyword ("" when positional), value
  std::vector<std::string> labels;                  // what each arg is, to name parameters
  std::vector<Call> children;                       // Sequential
};

struct Definition {
  std::string name;
  std::string signature;
  std::vector<Tree*> instances;
  std::vector<std::string> paths;  // of the instances
  std::vector<int> slotParam;  // per value slot: parameter index, or -1 for a literal
  std::vector<std::string> params;
  std::vector<std::string> inputNames;
  std::vector<std::string> outputNames;
};

std::unique_ptr<ast::Expr> valueExpr(const Value& v) {
  auto e = std::make_unique<ast::Expr>();
  using K = ast::Expr::Kind;
  switch (v.kind()) {
    case Value::Kind::None: e->kind = K::None; break;
    case Value::Kind::Bool: e->kind = K::Bool; e->boolValue = v.asBool(); break;
    case Value::Kind::Int: e->kind = K::Int; e->intValue = v.asInt(); break;
    case Value::Kind::Float: e->kind = K::Float; e->floatValue = v.asNumber(); break;
    case Value::Kind::String: e->kind = K::String; e->text = v.asString(); break;
    case Value::Kind::List:
      e->kind = K::Tuple;
      for (const Value& item : v.asList()) e->items.push_back(valueExpr(item));
      break;
  }
  return e;
}

std::unique_ptr<ast::Expr> nameExpr(const std::string& name) {
  auto e = std::make_unique<ast::Expr>();
  e->kind = ast::Expr::Kind::Name;
  e->text = name;
  return e;
}

// PyTorch style: leading required (or inferred) attributes positionally, then keywords for
// values that differ from the default.
Call opCall(const Node& node) {
  Call call;
  call.callee = node.op->name();
  bool positional = true;
  for (const AttrDef& attr : node.op->attrs()) {
    auto it = node.attrs.find(attr.name);
    Value value = it == node.attrs.end() ? Value::none() : it->second;
    // (3, 3) for a 2-D kernel reads as 3, as in PyTorch code.
    if (attr.type == AttrType::IntN && value.isIntList() && !value.asList().empty() &&
        std::all_of(value.asList().begin(), value.asList().end(),
                    [&](const Value& v) { return v == value.asList()[0]; }))
      value = value.asList()[0];
    positional = positional && (attr.required || attr.inferred) && !value.isNone();
    if (!positional && (value == attr.defaultValue || (attr.inferred && value.isNone()))) continue;
    call.args.push_back({positional ? "" : attr.name, value});
    call.labels.push_back(attr.name);
  }
  return call;
}

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    parts.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

bool isIndex(const std::string& s) {
  return !s.empty() && s.size() < 9 && s.find_first_not_of("0123456789") == std::string::npos;
}

class Raiser {
 public:
  explicit Raiser(const Graph& graph) : graph_(graph) {
    for (const Node& n : graph.nodes)
      for (size_t i = 0; i < n.inputs.size(); ++i)
        if (n.inputs[i]) consumers_[n.inputs[i]->source].push_back(n.id);
    for (const GraphOutput& o : graph.outputs) graphOutputs_.insert(o.source);
    for (const Group& g : graph.groups) groupKind_[g.path] = g.kind;
  }

  RaisedSketch raise(const std::string& weightsFile) {
    buildTree();
    decide(root_, "");
    for (Definition& def : defs_) def.name = definitionName(def);  // once all instances are known
    RaisedSketch raised;
    renameUnprintable(root_, "", "", raised.renamedParams);
    for (Definition& def : defs_) chooseParams(def);
    ast::Module module;
    add(module.statements, ast::SketchDecl{identifierFor(graph_.name), {}});
    if (!weightsFile.empty()) add(module.statements, ast::WeightsDecl{weightsFile, {}, {}});
    bool first = true;
    for (NodeId id : graph_.inputs) {
      add(module.statements, inputDecl(graph_.node(id)), first);
      first = false;
    }
    for (const Definition& def : defs_) add(module.statements, defStatement(def), true);
    emitBody(module.statements, root_, nullptr, {});
    for (const GraphOutput& o : graph_.outputs) {
      ast::OutputDecl out;
      out.name = identifierFor(o.name);
      out.source = endpointFor(root_, o.source, {});
      out.named = out.name != printedEndpoint(out.source);
      add(module.statements, std::move(out), &o == &graph_.outputs.front());
    }
    raised.module = std::move(module);
    return raised;
  }

 private:
  template <typename S>
  static void add(std::vector<ast::CommentedStatement>& body, S statement, bool blank = false) {
    ast::CommentedStatement s;
    s.statement = std::move(statement);
    s.blankLineBefore = blank;
    body.push_back(std::move(s));
  }

  static std::string printedEndpoint(const ast::Endpoint& e) {
    return e.port.empty() ? e.block : e.block + "." + e.port;
  }

  void buildTree() {
    for (const Node& n : graph_.nodes) {
      if (n.op->category() == "input") continue;
      Tree* t = &root_;
      t->nodes.insert(n.id);
      std::vector<std::string> parts = splitPath(n.path.empty() ? n.name : n.path);
      for (const std::string& part : parts) {
        auto it = t->byName.find(part);
        if (it == t->byName.end()) {
          t->children.push_back(std::make_unique<Tree>());
          t->children.back()->name = part;
          it = t->byName.emplace(part, t->children.back().get()).first;
        }
        t = it->second;
        t->nodes.insert(n.id);
      }
      t->node = n.id;
    }
  }

  // Computes each tree's ports, then decides Sequential or definition, bottom-up.
  void decide(Tree& t, const std::string& path) {
    for (auto& child : t.children) decide(*child, path.empty() ? child->name : path + "." + child->name);
    computePorts(t);
    if (t.isLeaf() || &t == &root_) return;
    t.sequential = isChain(t);
    if (t.sequential) return;
    std::string signature = signatureOf(t);
    for (size_t i = 0; i < defs_.size(); ++i)
      if (defs_[i].signature == signature) {
        t.def = static_cast<int>(i);
        defs_[i].instances.push_back(&t);
        defs_[i].paths.push_back(path);
        return;
      }
    Definition def;
    def.name = "#" + std::to_string(defs_.size());  // distinct in signatures until named
    def.signature = signature;
    def.instances.push_back(&t);
    def.paths.push_back(path);
    t.def = static_cast<int>(defs_.size());
    defs_.push_back(std::move(def));
  }

  // Children of a block body are declared by name, so a numbered child outside a
  // Sequential (from a table container) gets a name the language accepts; the parameters
  // below it are renamed to match.
  void renameUnprintable(Tree& t, const std::string& oldPath, const std::string& newPath,
                         std::map<std::string, std::string>& renamed) {
    if (t.isLeaf()) {
      if (oldPath == newPath) return;
      for (const ParamSpec& p : graph_.node(t.node).params)
        renamed[p.name.empty() ? oldPath : oldPath + "." + p.name] =
            p.name.empty() ? newPath : newPath + "." + p.name;
      return;
    }
    t.byName.clear();
    for (auto& child : t.children) {
      std::string oldChild = oldPath.empty() ? child->name : oldPath + "." + child->name;
      if (!t.sequential) child->name = identifierFor(child->name);
      t.byName[child->name] = child.get();
      std::string newChild = newPath.empty() ? child->name : newPath + "." + child->name;
      renameUnprintable(*child, oldChild, newChild, renamed);
    }
  }

  // The class the importer read (TorchScript), else the module name every instance shares
  // (`blocks.0.channel_mlp`, `blocks.1.channel_mlp`: ChannelMlp), else Block. Never an
  // op's name, which a call would mean instead.
  std::string definitionName(const Definition& def) {
    auto kind = groupKind_.find(def.paths.front());
    std::string base = kind != groupKind_.end() ? kind->second : "";
    if (base.empty()) base = sharedModuleName(def.paths);
    if (base.empty() || !isIdentifier(base)) base = "Block";
    if (catalogue().find(base)) base += "Block";
    std::string name = base;
    for (int n = 2; usedDefNames_.count(name); ++n) name = base + std::to_string(n);
    usedDefNames_.insert(name);
    return name;
  }

  // `channel_mlp` as ChannelMlp when it is the last part of every path; "" otherwise.
  static std::string sharedModuleName(const std::vector<std::string>& paths) {
    std::string last = splitPath(paths.front()).back();
    for (const std::string& path : paths)
      if (splitPath(path).back() != last) return "";
    if (isIndex(last)) return "";
    std::string name;
    bool upper = true;
    for (char c : last) {
      if (c == '_') {
        upper = true;
        continue;
      }
      name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
    return name;
  }

  void computePorts(Tree& t) {
    for (NodeId id : t.nodes)
      for (const auto& link : graph_.node(id).inputs)
        if (link && !t.nodes.count(link->source.node) &&
            std::find(t.ins.begin(), t.ins.end(), link->source) == t.ins.end())
          t.ins.push_back(link->source);
    for (NodeId id : t.nodes)
      for (uint32_t p = 0; p < graph_.node(id).outputs.size(); ++p) {
        PortRef port{id, p};
        bool usedOutside = graphOutputs_.count(port) > 0;
        auto it = consumers_.find(port);
        if (it != consumers_.end())
          for (NodeId c : it->second) usedOutside = usedOutside || !t.nodes.count(c);
        if (usedOutside) t.outs.push_back(port);
      }
  }

  // Numbered children, each fed only by the previous one's first output (nn.Sequential).
  // Numbers may skip (an exporter folded BatchNorm into the Conv before it): the gaps
  // print as Identity(), so that the numbering, and the weight names, stay.
  bool isChain(const Tree& t) const {
    long previous = -1;
    for (size_t i = 0; i < t.children.size(); ++i) {
      const Tree& c = *t.children[i];
      if (!isIndex(c.name) || std::stol(c.name) <= previous) return false;
      previous = std::stol(c.name);
      if (c.ins.size() != 1 || c.outs.size() != 1) return false;
      if (!isFirstPort(c, c.outs[0])) return false;
      if (c.isLeaf() && !isSingleInputAtFirstPort(graph_.node(c.node))) return false;
      if (i > 0 && c.ins[0] != t.children[i - 1]->outs[0]) return false;
      if (i + 1 < t.children.size()) {
        const Tree& next = *t.children[i + 1];
        if (graphOutputs_.count(c.outs[0])) return false;
        for (NodeId consumer : consumers_.at(c.outs[0]))
          if (!next.nodes.count(consumer)) return false;
      }
    }
    return !t.children.empty();
  }

  static bool isSingleInputAtFirstPort(const Node& node) {
    size_t linked = 0;
    for (const auto& link : node.inputs) linked += link.has_value();
    return linked == 1 && node.inputs[0].has_value();
  }

  // Whether `port` is what a bare reference to unit `t` means (its default output).
  bool isFirstPort(const Tree& t, PortRef port) const {
    return t.isLeaf() ? port.port == 0 : !t.outs.empty() && t.outs[0] == port;
  }

  // The call for a unit; for definition instances, the arguments are the instance's values
  // of the definition's parameters.
  Call callOf(const Tree& t) const {
    if (t.isLeaf()) return opCall(graph_.node(t.node));
    Call call;
    if (t.sequential) {
      call.callee = "Sequential";
      for (const auto& child : t.children) {
        while (call.children.size() < std::stoul(child->name)) call.children.push_back({"Identity", {}, {}, {}});
        call.children.push_back(callOf(*child));
      }
      return call;
    }
    const Definition& def = defs_[t.def];
    call.callee = def.name;
    std::vector<std::pair<Value, std::string>> values = instanceValues(t);
    std::vector<bool> done(def.params.size(), false);
    for (size_t slot = 0; slot < values.size(); ++slot) {
      int p = def.slotParam.empty() ? -1 : def.slotParam[slot];
      if (p < 0 || done[p]) continue;
      done[p] = true;
      call.args.push_back({"", values[slot].first});
      call.labels.push_back(def.params[p]);
    }
    return call;
  }

  static void collectValues(const Call& call, std::vector<std::pair<Value, std::string>>& out) {
    for (size_t i = 0; i < call.args.size(); ++i) out.push_back({call.args[i].second, call.labels[i]});
    for (const Call& child : call.children) collectValues(child, out);
  }

  std::vector<std::pair<Value, std::string>> instanceValues(const Tree& t) const {
    std::vector<std::pair<Value, std::string>> values;
    for (const auto& child : t.children) collectValues(callOf(*child), values);
    return values;
  }

  static void shapeOf(const Call& call, std::string& out) {
    out += call.callee + "(";
    for (const auto& [keyword, value] : call.args) out += keyword + ",";
    for (const Call& child : call.children) shapeOf(child, out);
    out += ")";
  }

  // Structure without values: children, their calls' shapes, and the wiring.
  std::string signatureOf(const Tree& t) const {
    std::string s = std::to_string(t.ins.size()) + ":" + std::to_string(t.outs.size()) + "|";
    for (const auto& child : t.children) {
      s += child->name + "=";
      shapeOf(callOf(*child), s);
      for (const PortRef& in : child->ins) s += "<" + localSource(t, in);
      s += ";";
    }
    for (const PortRef& out : t.outs) s += ">" + localSource(t, out);
    return s;
  }

  // A source seen from inside `t`: "in<k>" for its k-th input, else "<child>#<index>".
  std::string localSource(const Tree& t, PortRef port) const {
    auto in = std::find(t.ins.begin(), t.ins.end(), port);
    if (in != t.ins.end()) return "in" + std::to_string(in - t.ins.begin());
    for (const auto& child : t.children)
      if (child->nodes.count(port.node)) {
        if (child->isLeaf()) return child->name + "#" + std::to_string(port.port);
        auto out = std::find(child->outs.begin(), child->outs.end(), port);
        return child->name + "#" + std::to_string(out - child->outs.begin());
      }
    return "?";
  }

  // Value slots equal in every instance stay literals; equal columns share one parameter.
  void chooseParams(Definition& def) {
    std::vector<std::vector<std::pair<Value, std::string>>> rows;
    for (const Tree* t : def.instances) rows.push_back(instanceValues(*t));
    size_t slots = rows[0].size();
    def.slotParam.assign(slots, -1);
    std::vector<std::vector<Value>> paramColumns;
    std::set<std::string> used;
    for (size_t s = 0; s < slots; ++s) {
      std::vector<Value> column;
      for (const auto& row : rows) column.push_back(row[s].first);
      if (std::all_of(column.begin(), column.end(), [&](const Value& v) { return v == column[0]; }))
        continue;
      auto same = std::find(paramColumns.begin(), paramColumns.end(), column);
      if (same != paramColumns.end()) {
        def.slotParam[s] = static_cast<int>(same - paramColumns.begin());
        continue;
      }
      std::string name = rows[0][s].second;
      for (int n = 2; used.count(name); ++n) name = rows[0][s].second + std::to_string(n);
      used.insert(name);
      def.slotParam[s] = static_cast<int>(paramColumns.size());
      paramColumns.push_back(std::move(column));
      def.params.push_back(name);
    }
    const Tree& first = *def.instances[0];
    for (size_t i = 0; i < first.ins.size(); ++i)
      def.inputNames.push_back(i == 0 ? "x" : "x" + std::to_string(i));
    for (const PortRef& out : first.outs) {
      ast::Endpoint e = endpointFor(first, out, def.inputNames);
      std::string name = e.port.empty() ? e.block : e.block + "_" + e.port;
      for (int n = 2; std::find(def.outputNames.begin(), def.outputNames.end(), name) != def.outputNames.end(); ++n)
        name = e.block + std::to_string(n);
      def.outputNames.push_back(name);
    }
  }

  // `call` as an expression; inside a definition, value slots that are parameters print as
  // the parameter's name.
  std::unique_ptr<ast::Expr> callExpr(const Call& call, const Definition* def, size_t& slot) const {
    auto e = std::make_unique<ast::Expr>();
    e->kind = ast::Expr::Kind::Call;
    e->text = call.callee;
    for (const auto& [keyword, value] : call.args) {
      ast::Argument arg;
      arg.keyword = keyword;
      int p = def ? def->slotParam[slot] : -1;
      arg.value = p >= 0 ? nameExpr(def->params[p]) : valueExpr(value);
      ++slot;
      e->arguments.push_back(std::move(arg));
    }
    for (const Call& child : call.children) {
      ast::Argument arg;
      arg.value = callExpr(child, def, slot);
      e->arguments.push_back(std::move(arg));
    }
    return e;
  }

  ast::InputDecl inputDecl(const Node& node) const {
    ast::InputDecl in;
    in.name = identifierFor(node.name);
    ast::TensorTypeExpr type;
    type.dtype = dtypeName(node.outputs[0].dtype);
    for (const Dim& d : node.outputs[0].dims) {
      ast::DimExpr dim;
      if (d.isKnown())
        dim.size = d.value();
      else
        dim.symbol = d.toString();
      type.dims.push_back(dim);
    }
    in.type = std::move(type);
    return in;
  }

  std::unique_ptr<ast::BlockDef> defStatement(const Definition& def) const {
    auto block = std::make_unique<ast::BlockDef>();
    block->name = def.name;
    for (const std::string& p : def.params) block->params.push_back({p, {}, nullptr});
    const Tree& first = *def.instances[0];
    for (const std::string& in : def.inputNames) {
      ast::InputDecl decl;
      decl.name = in;
      add(block->body, std::move(decl));
    }
    emitBody(block->body, first, &def, def.inputNames);
    for (size_t i = 0; i < first.outs.size(); ++i) {
      ast::OutputDecl out;
      out.name = def.outputNames[i];
      out.source = endpointFor(first, first.outs[i], def.inputNames);
      out.named = out.name != printedEndpoint(out.source);
      add(block->body, std::move(out), i == 0);
    }
    return block;
  }

  // `port` seen from inside `scope`: a scope input, or a child with its output port.
  ast::Endpoint endpointFor(const Tree& scope, PortRef port, const std::vector<std::string>& inputs) const {
    ast::Endpoint e;
    auto in = std::find(scope.ins.begin(), scope.ins.end(), port);
    if (in != scope.ins.end() && !inputs.empty()) {
      e.block = inputs[in - scope.ins.begin()];
      return e;
    }
    if (graph_.node(port.node).op->category() == "input") {
      e.block = identifierFor(graph_.node(port.node).name);
      return e;
    }
    for (const auto& child : scope.children) {
      if (!child->nodes.count(port.node)) continue;
      e.block = child->name;
      if (child->isLeaf()) {
        const OpDef& op = *graph_.node(port.node).op;
        if (port.port > 0)
          e.port = op.hasVariadicOutputs() ? std::to_string(port.port) : op.outputs()[port.port].name;
      } else if (!child->sequential) {
        size_t index = std::find(child->outs.begin(), child->outs.end(), port) - child->outs.begin();
        if (index > 0) e.port = defs_[child->def].outputNames[index];
      }
      return e;
    }
    return e;
  }

  // Declarations and links of a scope's children; chains where a child feeds only the next.
  void emitBody(std::vector<ast::CommentedStatement>& body, const Tree& scope, const Definition* def,
                const std::vector<std::string>& inputs) const {
    size_t slot = 0;
    bool first = true;
    for (const auto& child : scope.children) {
      ast::BlockDecl decl;
      decl.name = child->name;
      decl.call = callExpr(callOf(*child), def, slot);
      add(body, std::move(decl), first && def == nullptr);
      first = false;
    }
    emitLinks(body, scope, inputs);
  }

  struct InputLinkRef {
    ast::Endpoint source;
    std::string port;  // empty: the unit's first input
  };

  // The links into one child, in port order.
  std::vector<InputLinkRef> linksInto(const Tree& scope, const Tree& child,
                                      const std::vector<std::string>& inputs) const {
    std::vector<InputLinkRef> links;
    if (child.isLeaf()) {
      const Node& node = graph_.node(child.node);
      for (size_t i = 0; i < node.inputs.size(); ++i) {
        if (!node.inputs[i]) continue;
        std::string port;
        if (node.op->hasVariadicInput() && i + 1 >= node.op->inputs().size())
          port = std::to_string(i);
        else if (i > 0)
          port = node.op->inputs()[i].name;
        links.push_back({endpointFor(scope, node.inputs[i]->source, inputs), port});
      }
      return links;
    }
    for (size_t i = 0; i < child.ins.size(); ++i)
      links.push_back({endpointFor(scope, child.ins[i], inputs),
                       i == 0 ? "" : defs_[child.def].inputNames[i]});
    return links;
  }

  void emitLinks(std::vector<ast::CommentedStatement>& body, const Tree& scope,
                 const std::vector<std::string>& inputs) const {
    // next[c]: the child that alone consumes c's first output through its first input.
    std::map<std::string, std::string> next, prev;
    std::map<std::string, std::vector<InputLinkRef>> links;
    for (const auto& child : scope.children) links[child->name] = linksInto(scope, *child, inputs);
    for (const auto& child : scope.children) {
      const auto& in = links[child->name];
      if (in.empty() || !in[0].port.empty() || !in[0].source.port.empty() || isVariadic(*child)) continue;
      const std::string& from = in[0].source.block;
      auto producer = scope.byName.find(from);
      if (producer == scope.byName.end() || next.count(from)) continue;
      if (countUses(from, links) != 1) continue;
      next[from] = child->name;
      prev[child->name] = from;
    }
    bool first = true;
    std::set<std::pair<std::string, std::string>> emitted;  // (child, port) linked by a chain
    for (const auto& child : scope.children) {
      if (prev.count(child->name)) continue;
      const auto& in = links[child->name];
      ast::LinkChain chain;
      if (isVariadic(*child) && !in.empty()) {
        std::vector<ast::Endpoint> group;
        for (const auto& l : in) group.push_back(l.source);
        chain.stages.push_back(std::move(group));
      } else if (!in.empty() && in[0].port.empty()) {
        chain.stages.push_back({in[0].source});
      }
      std::string last = child->name;
      for (;; last = next[last]) {
        chain.stages.push_back({ast::Endpoint{last, "", {}, {}}});
        if (!next.count(last)) break;
      }
      // A chain may end in a named port (`x -> downsample -> add.other`) when that link is
      // the last block's only use.
      if (countUses(last, links) == 1)
        for (const auto& target : scope.children)
          for (const InputLinkRef& l : links[target->name])
            if (l.source.block == last && l.source.port.empty() && !l.port.empty() &&
                !isVariadic(*target)) {
              chain.stages.push_back({ast::Endpoint{target->name, l.port, {}, {}}});
              emitted.insert({target->name, l.port});
            }
      if (chain.stages.size() > 1) {
        chain.arrowSpans.resize(chain.stages.size() - 1);
        add(body, std::move(chain), first);
        first = false;
      }
    }
    // Remaining inputs by explicit port, so that their order does not matter.
    for (const auto& child : scope.children) {
      if (isVariadic(*child)) continue;
      const auto& in = links[child->name];
      for (size_t i = 0; i < in.size(); ++i) {
        if ((i == 0 && in[i].port.empty()) || emitted.count({child->name, in[i].port})) continue;
        ast::LinkChain chain;
        chain.stages.push_back({in[i].source});
        chain.stages.push_back({ast::Endpoint{child->name, in[i].port, {}, {}}});
        chain.arrowSpans.resize(1);
        add(body, std::move(chain), first);
        first = false;
      }
    }
  }

  bool isVariadic(const Tree& t) const {
    return t.isLeaf() && graph_.node(t.node).op->hasVariadicInput();
  }

  // How many links in this scope read any output of child `name`.
  static size_t countUses(const std::string& name,
                          const std::map<std::string, std::vector<InputLinkRef>>& links) {
    size_t uses = 0;
    for (const auto& [child, in] : links)
      for (const auto& l : in) uses += l.source.block == name;
    return uses;
  }

  const Graph& graph_;
  Tree root_;
  std::vector<Definition> defs_;
  std::set<std::string> usedDefNames_;
  std::map<PortRef, std::vector<NodeId>> consumers_;
  std::set<PortRef> graphOutputs_;
  std::map<std::string, std::string> groupKind_;
};

}  // namespace

RaisedSketch raiseGraph(const Graph& graph, const std::string& weightsFile) {
  return Raiser(graph).raise(weightsFile);
}

}  // namespace sketch
