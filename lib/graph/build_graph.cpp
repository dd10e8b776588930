#include "graph/build_graph.h"

#include <deque>
#include <map>
#include <set>

#include "core/spelling.h"
#include "graph/evaluate_expr.h"
#include "graph/link_builder.h"
#include "ops/bind_arguments.h"
#include "ops/catalogue.h"

namespace sketch {

namespace {

constexpr const char* kSequential = "Sequential";
// Block definitions may instantiate each other; this bounds expansion depth so that a
// hostile file cannot exhaust the stack (direct recursion is reported separately).
constexpr size_t kMaxInstanceDepth = 64;

size_t countPositional(const ast::Expr& call) {
  size_t count = 0;
  for (const ast::Argument& arg : call.arguments) count += arg.keyword.empty();
  return count;
}

/// The block definitions visible at one level of nesting (lexical scoping).
struct DefinitionScope {
  const DefinitionScope* parent = nullptr;
  std::map<std::string, const ast::BlockDef*> definitions;

  const ast::BlockDef* find(const std::string& name) const {
    for (const DefinitionScope* s = this; s; s = s->parent) {
      auto it = s->definitions.find(name);
      if (it != s->definitions.end()) return it->second;
    }
    return nullptr;
  }
  void collectNames(std::vector<std::string>& out) const {
    for (const DefinitionScope* s = this; s; s = s->parent)
      for (const auto& [name, def] : s->definitions) out.push_back(name);
  }
};

class GraphBuilder {
 public:
  explicit GraphBuilder(DiagnosticEngine& diags) : diags_(diags), links_(graph_, diags) {}

  Graph build(const ast::Module& module) {
    const DefinitionScope& defs = collectDefinitions(module.statements, nullptr);
    LinkScope scope;
    scope.group = kNoGroup;
    processBody(module.statements, scope, defs, ParamValues{}, /*topLevel=*/true);
    links_.finish();
    graph_.hasOutputStatements = links_.hasOutputStatements();
    return std::move(graph_);
  }

 private:
  // Registers the definitions of one body (and, recursively, of nested definitions).
  const DefinitionScope& collectDefinitions(const std::vector<ast::CommentedStatement>& body,
                                            const DefinitionScope* parent) {
    DefinitionScope& scope = definitionScopes_.emplace_back();
    scope.parent = parent;
    for (const auto& s : body) {
      const auto* def = std::get_if<std::unique_ptr<ast::BlockDef>>(&s.statement);
      if (!def) continue;
      auto [it, inserted] = scope.definitions.emplace((*def)->name, def->get());
      if (!inserted) {
        Diagnostic& d = diags_.report(diag::DuplicateName, (*def)->nameSpan,
                                      "block '" + (*def)->name + "' is defined twice");
        addNote(d, it->second->nameSpan, "first defined here");
        continue;
      }
      if (!checkParamNames(**def)) brokenDefinitions_.insert(def->get());
      definitionScopeOf_[def->get()] = &collectDefinitions((*def)->body, &scope);
    }
    return scope;
  }

  bool checkParamNames(const ast::BlockDef& def) {
    std::map<std::string, Span> declaredAt;
    bool ok = true;
    for (const ast::BlockParam& p : def.params) {
      auto [it, inserted] = declaredAt.emplace(p.name, p.span);
      if (inserted) continue;
      Diagnostic& d = diags_.report(diag::DuplicateName, p.span,
                                    "parameter '" + p.name + "' is declared twice");
      addNote(d, it->second, "first declared here");
      ok = false;
    }
    return ok;
  }

  void processBody(const std::vector<ast::CommentedStatement>& body, LinkScope& scope,
                   const DefinitionScope& defs, const ParamValues& params, bool topLevel) {
    for (const auto& s : body) visitHeader(s.statement, scope, topLevel);
    for (const auto& s : body)
      if (const auto* decl = std::get_if<ast::BlockDecl>(&s.statement))
        declareBlock(*decl, scope, defs, params);
    for (const auto& s : body) declareBroken(s.statement, scope);
    for (const auto& s : body)
      if (const auto* chain = std::get_if<ast::LinkChain>(&s.statement)) links_.link(*chain, scope);
    for (const auto& s : body)
      if (const auto* out = std::get_if<ast::OutputDecl>(&s.statement)) {
        if (topLevel)
          links_.graphOutput(*out, scope);
        else
          links_.scopeOutput(*out, scope);
      }
  }

  // sketch / weights / input statements. A sketch or weights statement inside a block
  // definition was reported by the parser, the only front end that can write one there.
  void visitHeader(const ast::Statement& statement, LinkScope& scope, bool topLevel) {
    if (const auto* s = std::get_if<ast::SketchDecl>(&statement)) {
      if (!topLevel) return;
      if (sketchSpan_.isValid()) {
        Diagnostic& d = diags_.report(diag::DuplicateSketch, s->span, "the sketch is named twice");
        addNote(d, sketchSpan_, "first named here");
        return;
      }
      sketchSpan_ = s->span;
      graph_.name = s->name;
    } else if (const auto* w = std::get_if<ast::WeightsDecl>(&statement)) {
      if (!topLevel) return;
      if (graph_.weightsSpan.isValid()) {
        Diagnostic& d = diags_.report(diag::DuplicateWeights, w->span, "a second weights file");
        addNote(d, graph_.weightsSpan, "the first is given here");
        return;
      }
      graph_.weightsFile = w->path;
      graph_.weightsSpan = w->pathSpan.isValid() ? w->pathSpan : w->span;
    } else if (const auto* in = std::get_if<ast::InputDecl>(&statement)) {
      if (!in->invalid) declareInput(*in, scope, topLevel);
    }
  }

  // A declaration whose syntax error was reported keeps its name, so that links to it stay
  // silent. A valid declaration of the same name wins, without a "declared twice".
  void declareBroken(const ast::Statement& statement, LinkScope& scope) {
    const auto* decl = std::get_if<ast::BlockDecl>(&statement);
    const auto* in = std::get_if<ast::InputDecl>(&statement);
    if (decl && decl->invalid && !links_.isDeclared(scope, decl->name))
      links_.declareInvalid(scope, decl->name, decl->nameSpan);
    if (in && in->invalid && !links_.isDeclared(scope, in->name))
      links_.declareInvalid(scope, in->name, in->nameSpan);
  }

  void declareInput(const ast::InputDecl& in, LinkScope& scope, bool topLevel) {
    if (!topLevel) {
      if (in.type)
        diags_.report(diag::MisplacedStatement, in.type->span,
                      "an input of a block takes its type from what is linked to it")
            .help = "write 'input " + in.name + "'";
      links_.declareScopeInput(scope, in.name, in.nameSpan);
      return;
    }
    if (redeclared(in.name, in.nameSpan, scope)) return;
    if (!in.type) {
      diags_.report(diag::MissingAttribute, in.span, "input '" + in.name + "' needs a type")
          .help = "write e.g. 'input " + in.name + ": float32[N, 3, 224, 224]'";
      links_.declareInvalid(scope, in.name, in.nameSpan);
      return;
    }
    const OpDef* op = catalogue().find("Input");
    Attrs attrs;
    bool ok = true;
    std::optional<DType> dtype = parseDType(in.type->dtype);
    if (!dtype) {
      Diagnostic& d = diags_.report(diag::UnknownDType, in.type->dtypeSpan,
                                    "unknown element type '" + in.type->dtype + "'");
      std::string guess = closestMatch(in.type->dtype, dtypeNames());
      if (!guess.empty()) d.help = "did you mean '" + guess + "'?";
      ok = false;
    }
    std::vector<Value> dims;
    for (const ast::DimExpr& dim : in.type->dims)
      dims.push_back(dim.size ? Value::ofInt(*dim.size) : Value::ofString(dim.symbol));
    attrs["dtype"] = Value::ofString(dtype ? dtypeName(*dtype) : "float32");
    attrs["shape"] = Value::ofList(std::move(dims));
    // An input's node points at its name: messages about the input ("does not reach any
    // output") name it, and its type has spans of its own.
    NodeId id = addNode(in.name, op, std::move(attrs), in.nameSpan, scope);
    graph_.node(id).hasErrors = !ok;
    graph_.inputs.push_back(id);
    links_.declareNode(scope, in.name, in.nameSpan, id);
  }

  NodeId addNode(const std::string& name, const OpDef* op, Attrs attrs, Span span,
                 const LinkScope& scope) {
    Node node;
    node.id = static_cast<NodeId>(graph_.nodes.size());
    node.name = name;
    node.path = scope.pathPrefix + name;
    node.op = op;
    node.attrs = std::move(attrs);
    node.span = span;
    node.group = scope.group;
    node.inputs.resize(op->hasVariadicInput() ? op->inputs().size() - 1 : op->inputs().size());
    if (scope.group != kNoGroup) graph_.groups[scope.group].nodes.push_back(node.id);
    graph_.nodes.push_back(std::move(node));
    return graph_.nodes.back().id;
  }

  GroupId addGroup(const std::string& name, const std::string& kind, Span span,
                   const LinkScope& parent) {
    Group group;
    group.name = name;
    group.path = parent.pathPrefix + name;
    group.kind = kind;
    group.parent = parent.group;
    group.span = span;
    GroupId id = static_cast<GroupId>(graph_.groups.size());
    if (parent.group != kNoGroup) graph_.groups[parent.group].children.push_back(id);
    graph_.groups.push_back(std::move(group));
    return id;
  }

  bool redeclared(const std::string& name, Span nameSpan, const LinkScope& scope) {
    if (!links_.isDeclared(scope, name)) return false;
    Diagnostic& d = diags_.report(diag::DuplicateName, nameSpan, "'" + name + "' is declared twice");
    addNote(d, links_.declarationSpan(scope, name), "first declared here");
    return true;
  }

  void declareBlock(const ast::BlockDecl& decl, LinkScope& scope, const DefinitionScope& defs,
                    const ParamValues& params) {
    if (decl.invalid || redeclared(decl.name, decl.nameSpan, scope)) return;
    instantiate(decl.name, decl.nameSpan, *decl.call, scope, defs, params);
  }

  // Makes the node or group that `call` describes, named `name` in `scope`, and declares it
  // there. Returns false when nothing could be made.
  bool instantiate(const std::string& name, Span nameSpan, const ast::Expr& call, LinkScope& scope,
                   const DefinitionScope& defs, const ParamValues& params) {
    if (const ast::BlockDef* def = defs.find(call.text))
      return instantiateBlock(name, nameSpan, call, *def, scope, params);
    if (call.text == kSequential) return instantiateSequential(name, nameSpan, call, scope, defs, params);
    const OpDef* op = catalogue().find(call.text);
    if (!op || op->category() == "input") {
      reportUnknownCallee(call, defs);
      links_.declareInvalid(scope, name, nameSpan);
      return false;
    }
    auto [attrs, ok] = bindCall(*op, call, params);
    NodeId id = addNode(name, op, std::move(attrs.attrs), call.span, scope);
    Node& node = graph_.node(id);
    node.attrSpans = std::move(attrs.spans);
    node.hasErrors = !ok;
    links_.declareNode(scope, name, nameSpan, id);
    return true;
  }

  void reportUnknownCallee(const ast::Expr& call, const DefinitionScope& defs) {
    std::vector<std::string> names;
    for (const std::string& op : catalogue().names())
      if (catalogue().find(op)->category() != "input") names.push_back(op);
    names.push_back(kSequential);
    defs.collectNames(names);
    Diagnostic& d = diags_.report(diag::UnknownOp, Span{call.span.file, call.span.begin,
                                                        call.span.begin + uint32_t(call.text.size())},
                                  "unknown op '" + call.text + "'");
    std::string guess = closestMatch(call.text, names);
    if (!guess.empty()) d.help = "did you mean '" + guess + "'?";
  }

  struct BoundAttrs {
    Attrs attrs;
    std::map<std::string, Span> spans;
  };

  std::pair<BoundAttrs, bool> bindCall(const OpDef& op, const ast::Expr& call,
                                       const ParamValues& params) {
    std::vector<CallArgument> arguments;
    std::vector<Span> argumentSpans;
    bool ok = true;
    for (const ast::Argument& arg : call.arguments) {
      std::optional<Value> value = evaluateExpr(*arg.value, params, diags_);
      ok = ok && value.has_value();
      arguments.push_back({arg.keyword, value.value_or(Value::none())});
      argumentSpans.push_back(arg.value->span);
    }
    BoundAttrs bound;
    if (!ok) return {std::move(bound), false};
    BindResult result = bindArguments(op, arguments);
    for (const BindIssue& issue : result.issues) {
      Span span = call.span;
      if (issue.argument >= 0) {
        const ast::Argument& arg = call.arguments[issue.argument];
        span = issue.kind == BindIssue::Kind::UnknownAttribute ? arg.keywordSpan : arg.value->span;
      }
      diags_.report(bindIssueKind(issue.kind), span, issue.message).help = issue.help;
    }
    for (size_t i = 0; i < call.arguments.size(); ++i) {
      const ast::Argument& arg = call.arguments[i];
      std::string attr = arg.keyword;
      if (attr.empty() && i < op.attrs().size()) attr = op.attrs()[i].name;
      if (!attr.empty()) bound.spans[attr] = argumentSpans[i];
    }
    bound.attrs = std::move(result.attrs);
    return {std::move(bound), result.issues.empty()};
  }

  static diag::Kind bindIssueKind(BindIssue::Kind kind) {
    switch (kind) {
      case BindIssue::Kind::UnknownAttribute: return diag::UnknownAttribute;
      case BindIssue::Kind::DuplicateAttribute: return diag::DuplicateAttribute;
      case BindIssue::Kind::TooManyArguments: return diag::TooManyArguments;
      case BindIssue::Kind::MissingAttribute: return diag::MissingAttribute;
      case BindIssue::Kind::AttributeType: return diag::AttributeType;
      case BindIssue::Kind::AttributeValue: return diag::AttributeValue;
    }
    return diag::AttributeValue;
  }

  bool instantiateSequential(const std::string& name, Span nameSpan, const ast::Expr& call,
                             LinkScope& scope, const DefinitionScope& defs,
                             const ParamValues& params) {
    LinkScope inner;
    inner.group = addGroup(name, kSequential, call.span, scope);
    inner.pathPrefix = scope.pathPrefix + name + ".";
    std::vector<std::string> children;
    for (size_t i = 0; i < call.arguments.size(); ++i) {
      const ast::Argument& arg = call.arguments[i];
      if (!arg.keyword.empty() || arg.value->kind != ast::Expr::Kind::Call) {
        diags_.report(diag::AttributeType, arg.keyword.empty() ? arg.value->span : arg.keywordSpan,
                      "the arguments of Sequential are blocks, such as 'ReLU()'");
        continue;
      }
      std::string child = std::to_string(i);
      if (instantiate(child, arg.value->span, *arg.value, inner, defs, params))
        children.push_back(child);
    }
    links_.declareSequential(scope, name, nameSpan, call.span, inner, children);
    return true;
  }

  bool instantiateBlock(const std::string& name, Span nameSpan, const ast::Expr& call,
                        const ast::BlockDef& def, LinkScope& scope, const ParamValues& outer) {
    for (const ast::BlockDef* active : instanceStack_)
      if (active == &def) {
        Diagnostic& d = diags_.report(diag::RecursiveBlock, call.span,
                                      "block '" + def.name + "' contains itself");
        addNote(d, def.nameSpan, "'" + def.name + "' is defined here");
        links_.declareInvalid(scope, name, nameSpan);
        return false;
      }
    if (brokenDefinitions_.count(&def)) {  // reported at the definition
      links_.declareInvalid(scope, name, nameSpan);
      return false;
    }
    if (instanceStack_.size() >= kMaxInstanceDepth) {
      diags_.report(diag::NestingTooDeep, call.span,
                    "blocks are nested more than " + std::to_string(kMaxInstanceDepth) + " deep");
      links_.declareInvalid(scope, name, nameSpan);
      return false;
    }
    std::optional<ParamValues> params = bindBlockParams(def, call, outer);
    LinkScope inner;
    inner.group = addGroup(name, def.name, call.span, scope);
    inner.pathPrefix = scope.pathPrefix + name + ".";
    inner.instanceSpan = call.span;
    if (params) {
      for (const auto& [param, value] : *params) graph_.groups[inner.group].arguments[param] = value;
      instanceStack_.push_back(&def);
      processBody(def.body, inner, *definitionScopeOf_.at(&def), *params, /*topLevel=*/false);
      instanceStack_.pop_back();
    }
    links_.declareInstance(scope, name, nameSpan, call.span, inner, /*valid=*/params.has_value());
    return true;
  }

  std::optional<ParamValues> bindBlockParams(const ast::BlockDef& def, const ast::Expr& call,
                                             const ParamValues& outer) {
    ParamValues values;
    std::map<std::string, Span> givenAt;
    bool ok = true;
    size_t positional = 0;
    for (const ast::Argument& arg : call.arguments) {
      std::optional<Value> value = evaluateExpr(*arg.value, outer, diags_);
      ok = ok && value;
      std::string param;
      if (arg.keyword.empty()) {
        if (positional++ >= def.params.size()) {
          if (positional == def.params.size() + 1)  // one report, at the first extra argument
            diags_.report(diag::TooManyArguments, arg.value->span,
                          "block '" + def.name + "' takes " + std::to_string(def.params.size()) +
                              " argument" + (def.params.size() == 1 ? "" : "s") + ", but " +
                              std::to_string(countPositional(call)) + " were given");
          ok = false;
          continue;
        }
        param = def.params[positional - 1].name;
      } else {
        param = arg.keyword;
        bool known = false;
        std::vector<std::string> names;
        for (const ast::BlockParam& p : def.params) {
          known = known || p.name == param;
          names.push_back(p.name);
        }
        if (!known) {
          Diagnostic& d = diags_.report(diag::UnknownAttribute, arg.keywordSpan,
                                        "block '" + def.name + "' has no parameter '" + param + "'");
          std::string guess = closestMatch(param, names);
          if (!guess.empty()) d.help = "did you mean '" + guess + "'?";
          ok = false;
          continue;
        }
      }
      if (givenAt.count(param)) {
        Diagnostic& d = diags_.report(diag::DuplicateAttribute, arg.value->span,
                                      "parameter '" + param + "' is given twice");
        addNote(d, givenAt[param], "first given here");
        ok = false;
        continue;
      }
      givenAt[param] = arg.value->span;
      if (value) values[param] = *value;
    }
    for (const ast::BlockParam& p : def.params) {
      if (givenAt.count(p.name)) continue;
      if (!p.defaultValue) {
        Diagnostic& d = diags_.report(diag::MissingAttribute, call.span,
                                      "block '" + def.name + "' needs parameter '" + p.name + "'");
        addNote(d, p.span, "'" + p.name + "' is declared here");
        ok = false;
        continue;
      }
      // Defaults may refer to earlier parameters (`out=channels`).
      std::optional<Value> value = evaluateExpr(*p.defaultValue, values, diags_);
      ok = ok && value;
      if (value) values[p.name] = *value;
    }
    if (!ok) return std::nullopt;
    return values;
  }

  DiagnosticEngine& diags_;
  Graph graph_;
  LinkBuilder links_;
  Span sketchSpan_;
  std::deque<DefinitionScope> definitionScopes_;
  std::map<const ast::BlockDef*, const DefinitionScope*> definitionScopeOf_;
  std::set<const ast::BlockDef*> brokenDefinitions_;  // instances of these stay silent
  std::vector<const ast::BlockDef*> instanceStack_;
};

}  // namespace

Graph buildGraph(const ast::Module& module, DiagnosticEngine& diags) {
  return GraphBuilder(diags).build(module);
}

}  // namespace sketch
