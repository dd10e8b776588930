#include "graph/link_builder.h"

#include <algorithm>
#include <set>

#include "core/spelling.h"

namespace sketch {

namespace {

bool isIndex(const std::string& port) {
  return !port.empty() && port.find_first_not_of("0123456789") == std::string::npos &&
         port.size() < 10;
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::string ordinal(size_t n) {
  static const char* kWords[] = {"first", "second", "third", "fourth", "fifth"};
  return n < 5 ? kWords[n] : std::to_string(n + 1) + "th";
}

}  // namespace

bool LinkBuilder::isDeclared(const LinkScope& scope, const std::string& name) const {
  return scope.entities.count(name) > 0;
}

Span LinkBuilder::declarationSpan(const LinkScope& scope, const std::string& name) const {
  return scope.entities.at(name).nameSpan;
}

RelayId LinkBuilder::newRelay(std::string what, Span declSpan) {
  relays_.push_back({std::nullopt, Span{}, std::move(what), declSpan, false});
  return static_cast<RelayId>(relays_.size() - 1);
}

void LinkBuilder::declareNode(LinkScope& scope, const std::string& name, Span nameSpan, NodeId node) {
  Entity e;
  e.kind = Entity::Kind::Node;
  e.nameSpan = nameSpan;
  e.node = node;
  scope.entities[name] = std::move(e);
  claimed_[node].resize(graph_.node(node).inputs.size());
}

void LinkBuilder::declareScopeInput(LinkScope& scope, const std::string& name, Span nameSpan) {
  if (scope.entities.count(name)) {
    Diagnostic& d = diags_.report(diag::DuplicateName, nameSpan, quoted(name) + " is declared twice");
    addNote(d, scope.entities[name].nameSpan, "first declared here");
    return;
  }
  std::string owner = scope.pathPrefix.substr(0, scope.pathPrefix.size() - 1);
  RelayId relay = newRelay("input " + quoted(name) + " of " + quoted(owner), scope.instanceSpan);
  Entity e;
  e.kind = Entity::Kind::ScopeInput;
  e.nameSpan = nameSpan;
  e.relay = relay;
  scope.entities[name] = std::move(e);
  scope.inputNames.push_back(name);
  scope.inputRelays.push_back(relay);
}

void LinkBuilder::declareSequential(LinkScope& scope, const std::string& name, Span nameSpan,
                                    Span callSpan, const LinkScope& inner,
                                    const std::vector<std::string>& children) {
  Entity e;
  e.kind = Entity::Kind::Instance;
  e.kindName = "Sequential";
  e.nameSpan = nameSpan;
  e.group = inner.group;
  for (const auto& [childName, child] : inner.entities)
    if (!child.valid) {
      // A child failed to declare: the chain through it means nothing, so stay silent.
      e.valid = false;
      silenceGroup(inner.group);
      scope.entities[name] = std::move(e);
      return;
    }
  RelayId in = newRelay("the input of Sequential " + quoted(scope.pathPrefix + name), callSpan);
  e.inputNames = {"input"};
  e.inputs = {in};
  // Child i's first output feeds child i+1's next free input, as nn.Sequential calls them.
  std::optional<Source> current = Source{true, {}, in};
  for (const std::string& child : children) {
    const Entity& c = inner.entities.at(child);
    ast::Endpoint endpoint{child, "", c.nameSpan, Span{}};
    if (current) {
      if (std::optional<Target> t = resolveTarget(inner, endpoint, true, c.nameSpan))
        connect(*current, *t, c.nameSpan);
    }
    current = resolveSource(inner, endpoint, true);
  }
  e.outputNames = {"output"};
  e.outputs = {current};
  scope.entities[name] = std::move(e);
}

void LinkBuilder::declareInvalid(LinkScope& scope, const std::string& name, Span nameSpan) {
  Entity e;
  e.kind = Entity::Kind::Instance;
  e.nameSpan = nameSpan;
  e.valid = false;
  scope.entities[name] = std::move(e);
}

void LinkBuilder::silence(const Entity& entity) {
  if (entity.kind == Entity::Kind::Node) quiet_.insert(entity.node);
  if (entity.kind == Entity::Kind::Instance && entity.group != kNoGroup) silenceGroup(entity.group);
}

void LinkBuilder::silenceGroup(GroupId group) {
  quiet_.insert(graph_.groups[group].nodes.begin(), graph_.groups[group].nodes.end());
  for (GroupId child : graph_.groups[group].children) silenceGroup(child);
}

void LinkBuilder::declareInstance(LinkScope& scope, const std::string& name, Span nameSpan,
                                  Span callSpan, const LinkScope& inner, bool valid) {
  Entity e;
  e.kind = Entity::Kind::Instance;
  e.nameSpan = nameSpan;
  e.group = inner.group;
  e.kindName = graph_.groups[inner.group].kind;
  e.inputNames = inner.inputNames;
  e.inputs = inner.inputRelays;
  e.outputNames = inner.outputNames;
  e.outputs = inner.outputSources;
  e.valid = valid;
  scope.entities[name] = std::move(e);
}

const Entity* LinkBuilder::lookup(const LinkScope& scope, const ast::Endpoint& e) {
  auto it = scope.entities.find(e.block);
  if (it != scope.entities.end()) return &it->second;
  std::vector<std::string> names;
  for (const auto& [name, entity] : scope.entities) names.push_back(name);
  std::sort(names.begin(), names.end());  // the same suggestion whatever the hash order
  Span blockSpan{e.span.file, e.span.begin, e.span.begin + uint32_t(e.block.size())};
  Diagnostic& d = diags_.report(diag::UnknownBlock, blockSpan, "unknown block " + quoted(e.block));
  std::string guess = closestMatch(e.block, names);
  if (!guess.empty()) {
    d.help = "did you mean " + quoted(guess) + "?";
    // The block meant here would otherwise be reported as unlinked too.
    silence(scope.entities.at(guess));
  }
  return nullptr;
}

// `strict` is false for the middle of a chain (`a -> lstm.output -> fc`), where a port
// name applies to whichever side has a port of that name.
std::optional<Source> LinkBuilder::resolveSource(const LinkScope& scope, const ast::Endpoint& e,
                                                 bool strict) {
  const Entity* entity = lookup(scope, e);
  if (!entity || !entity->valid) return std::nullopt;
  std::string port = e.port;
  switch (entity->kind) {
    case Entity::Kind::ScopeInput:
      if (!port.empty() && strict) {
        diags_.report(diag::UnknownPort, e.portSpan,
                      "block input " + quoted(e.block) + " has no ports");
        return std::nullopt;
      }
      return Source{true, {}, entity->relay};
    case Entity::Kind::Node: {
      const Node& node = graph_.node(entity->node);
      const OpDef& op = *node.op;
      if (port.empty()) return Source{false, {node.id, 0}, 0};
      if (isIndex(port) && (strict || op.hasVariadicOutputs())) {
        size_t index = std::stoul(port);
        if (op.hasVariadicOutputs() || index < op.outputs().size())
          return Source{false, {node.id, uint32_t(index)}, 0};
      }
      int index = op.outputIndex(port);
      if (index >= 0) return Source{false, {node.id, uint32_t(index)}, 0};
      if (!strict && op.inputIndex(port) >= 0) return Source{false, {node.id, 0}, 0};
      std::vector<std::string> names;
      for (const PortDef& p : op.outputs()) names.push_back(p.name);
      Diagnostic& d = diags_.report(diag::UnknownPort, e.portSpan,
                                    op.name() + " " + quoted(e.block) + " has no output port " +
                                        quoted(port));
      std::string guess = closestMatch(port, names);
      if (!guess.empty()) d.help = "did you mean " + quoted(guess) + "?";
      else if (!names.empty()) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + quoted(n);
        d.help = "its outputs are " + list;
      }
      return std::nullopt;
    }
    case Entity::Kind::Instance: {
      size_t index = 0;
      if (!port.empty()) {
        auto it = std::find(entity->outputNames.begin(), entity->outputNames.end(), port);
        if (it != entity->outputNames.end())
          index = it - entity->outputNames.begin();
        else if (isIndex(port) && std::stoul(port) < entity->outputs.size())
          index = std::stoul(port);
        else if (strict || std::find(entity->inputNames.begin(), entity->inputNames.end(), port) ==
                               entity->inputNames.end()) {
          diags_.report(diag::UnknownPort, e.portSpan,
                        entity->kindName + " " + quoted(e.block) + " has no output " + quoted(port));
          return std::nullopt;
        }
      }
      if (entity->outputs.empty()) {
        diags_.report(diag::UnknownPort, e.span,
                      entity->kindName + " " + quoted(e.block) + " has no outputs")
            .help = "add an 'output' statement to block " + quoted(entity->kindName);
        return std::nullopt;
      }
      return entity->outputs[index];
    }
  }
  return std::nullopt;
}

std::optional<LinkBuilder::Target> LinkBuilder::resolveTarget(const LinkScope& scope,
                                                              const ast::Endpoint& e, bool strict,
                                                              Span linkSpan) {
  const Entity* entity = lookup(scope, e);
  if (!entity || !entity->valid) return std::nullopt;
  switch (entity->kind) {
    case Entity::Kind::ScopeInput:
      diags_.report(diag::InvalidLink, e.span,
                    "cannot link into " + quoted(e.block) + ": it is an input of this block");
      return std::nullopt;
    case Entity::Kind::Node: return nodeTarget(entity->node, e, strict, linkSpan);
    case Entity::Kind::Instance: return instanceTarget(*entity, e, strict, linkSpan);
  }
  return std::nullopt;
}

std::optional<LinkBuilder::Target> LinkBuilder::nodeTarget(NodeId id, const ast::Endpoint& e,
                                                           bool strict, Span linkSpan) {
  Node& node = graph_.node(id);
  const OpDef& op = *node.op;
  std::vector<std::optional<Span>>& claimed = claimed_[id];
  std::optional<size_t> index;
  if (!e.port.empty()) {
    int named = op.inputIndex(e.port);
    if (named >= 0 && !op.inputs()[named].variadic)
      index = named;
    else if (isIndex(e.port) && strict)
      index = std::stoul(e.port);
    else if (named < 0 && (strict || op.outputIndex(e.port) < 0)) {
      std::vector<std::string> names;
      for (const PortDef& p : op.inputs()) names.push_back(p.name);
      Diagnostic& d = diags_.report(diag::UnknownPort, e.portSpan,
                                    op.name() + " " + quoted(e.block) + " has no input port " +
                                        quoted(e.port));
      std::string guess = closestMatch(e.port, names);
      if (!guess.empty()) d.help = "did you mean " + quoted(guess) + "?";
      return std::nullopt;
    }
  }
  if (!index) {
    size_t free = 0;
    while (free < claimed.size() && claimed[free]) ++free;
    index = free;
  }
  if (*index >= claimed.size()) {
    if (!op.hasVariadicInput()) {
      size_t takes = op.inputs().size();
      Diagnostic& d = diags_.report(
          diag::TooManyInputs, linkSpan,
          op.name() + " " + quoted(e.block) + " takes " + std::to_string(takes) + " input" +
              (takes == 1 ? "" : "s") + ", but a " + ordinal(std::max(*index, claimed.size())) +
              " is linked here");
      for (const auto& at : claimed)
        if (at) addNote(d, *at, "already linked here");
      return std::nullopt;
    }
    claimed.resize(*index + 1);
    node.inputs.resize(*index + 1);
  }
  if (claimed[*index]) {
    std::string portName = *index < op.inputs().size() ? op.inputs()[*index].name
                                                        : std::to_string(*index);
    Diagnostic& d = diags_.report(diag::PortAlreadyLinked, linkSpan,
                                  "input " + quoted(portName) + " of " + quoted(e.block) +
                                      " is already linked");
    addNote(d, *claimed[*index], "first linked here");
    return std::nullopt;
  }
  claimed[*index] = linkSpan;
  return Target{false, id, uint32_t(*index), 0};
}

std::optional<LinkBuilder::Target> LinkBuilder::instanceTarget(const Entity& entity,
                                                               const ast::Endpoint& e, bool strict,
                                                               Span linkSpan) {
  std::optional<size_t> index;
  if (!e.port.empty()) {
    auto it = std::find(entity.inputNames.begin(), entity.inputNames.end(), e.port);
    if (it != entity.inputNames.end())
      index = it - entity.inputNames.begin();
    else if (isIndex(e.port) && strict && std::stoul(e.port) < entity.inputs.size())
      index = std::stoul(e.port);
    else if (strict || std::find(entity.outputNames.begin(), entity.outputNames.end(), e.port) ==
                           entity.outputNames.end()) {
      Diagnostic& d = diags_.report(diag::UnknownPort, e.portSpan,
                                    entity.kindName + " " + quoted(e.block) + " has no input " +
                                        quoted(e.port));
      std::string guess = closestMatch(e.port, entity.inputNames);
      if (!guess.empty()) d.help = "did you mean " + quoted(guess) + "?";
      return std::nullopt;
    }
  }
  if (!index) {
    size_t free = 0;
    while (free < entity.inputs.size() && relays_[entity.inputs[free]].upstream) ++free;
    if (free == entity.inputs.size()) {
      size_t takes = entity.inputs.size();
      Diagnostic& d = diags_.report(diag::TooManyInputs, linkSpan,
                                    entity.kindName + " " + quoted(e.block) + " takes " +
                                        std::to_string(takes) + " input" + (takes == 1 ? "" : "s") +
                                        ", but a " + ordinal(takes) + " is linked here");
      for (RelayId r : entity.inputs) addNote(d, relays_[r].linkSpan, "already linked here");
      return std::nullopt;
    }
    index = free;
  }
  Relay& relay = relays_[entity.inputs[*index]];
  if (relay.upstream) {
    Diagnostic& d = diags_.report(diag::PortAlreadyLinked, linkSpan,
                                  "input " + quoted(entity.inputNames[*index]) + " of " +
                                      quoted(e.block) + " is already linked");
    addNote(d, relay.linkSpan, "first linked here");
    return std::nullopt;
  }
  return Target{true, 0, 0, entity.inputs[*index]};
}

void LinkBuilder::connect(const Source& from, const Target& to, Span span) {
  if (to.isRelay) {
    relays_[to.relay].upstream = from;
    relays_[to.relay].linkSpan = span;
    return;
  }
  edges_.push_back({from, to.node, to.input, span});
}

void LinkBuilder::link(const ast::LinkChain& chain, LinkScope& scope) {
  size_t errorsBefore = diags_.errorCount();
  for (size_t s = 0; s + 1 < chain.stages.size(); ++s) {
    const std::vector<ast::Endpoint>& from = chain.stages[s];
    const std::vector<ast::Endpoint>& to = chain.stages[s + 1];
    if (from.size() > 1 && to.size() > 1) {
      diags_.report(diag::InvalidLink, chain.arrowSpans[s],
                    "cannot link " + std::to_string(from.size()) + " blocks to " +
                        std::to_string(to.size()) + " blocks at once")
          .help = "link a group to one block, or one block to a group";
      break;
    }
    bool fromStrict = s == 0;
    bool toStrict = s + 2 == chain.stages.size();
    // Bind in the written order: `(a, b) -> cat` gives cat's inputs 0 and 1.
    for (const ast::Endpoint& f : from) {
      std::optional<Source> source = resolveSource(scope, f, fromStrict);
      for (const ast::Endpoint& t : to) {
        Span linkSpan = f.span.to(t.span);
        std::optional<Target> target = resolveTarget(scope, t, toStrict, linkSpan);
        if (source && target) connect(*source, *target, linkSpan);
        // The source was reported, or its declaration was: the block input it feeds is
        // not "never linked" on top.
        if (!source && target && target->isRelay) relays_[target->relay].reported = true;
      }
    }
  }
  if (diags_.errorCount() == errorsBefore) return;
  // A broken link leaves the blocks it feeds half-linked: silence them instead of reporting
  // "nothing linked" on top. Sources keep their other, valid links.
  for (size_t s = 1; s < chain.stages.size(); ++s)
    for (const ast::Endpoint& e : chain.stages[s]) {
      auto it = scope.entities.find(e.block);
      if (it != scope.entities.end()) silence(it->second);
    }
}

void LinkBuilder::scopeOutput(const ast::OutputDecl& out, LinkScope& scope) {
  for (size_t i = 0; i < scope.outputNames.size(); ++i)
    if (scope.outputNames[i] == out.name) {
      Diagnostic& d = diags_.report(diag::DuplicateName, out.nameSpan,
                                    "output " + quoted(out.name) + " is declared twice");
      addNote(d, scope.outputSpans[i], "first declared here");
      return;
    }
  scope.outputNames.push_back(out.name);
  scope.outputSources.push_back(resolveSource(scope, out.source, true));
  scope.outputSpans.push_back(out.nameSpan);
}

void LinkBuilder::graphOutput(const ast::OutputDecl& out, LinkScope& scope) {
  hasOutputStatements_ = true;
  for (const PendingOutput& o : outputs_)
    if (o.name == out.name) {
      Diagnostic& d = diags_.report(diag::DuplicateName, out.nameSpan,
                                    "output " + quoted(out.name) + " is declared twice");
      addNote(d, o.span, "first declared here");
      return;
    }
  if (std::optional<Source> source = resolveSource(scope, out.source, true))
    outputs_.push_back({out.name, *source, out.nameSpan});
}

std::optional<PortRef> LinkBuilder::resolve(const Source& source) {
  Source s = source;
  std::set<RelayId> seen;
  while (s.isRelay) {
    Relay& relay = relays_[s.relay];
    if (!relay.upstream || !seen.insert(s.relay).second) {
      if (!relay.reported) {
        relay.reported = true;
        diags_.report(diag::UnconnectedInput, relay.declSpan, relay.what + " is never linked")
            .help = "link a block to it where it is used";
      }
      return std::nullopt;
    }
    s = *relay.upstream;
  }
  return s.port;
}

// A node with a missing input stays silent in the shape pass: its input has no type.
void LinkBuilder::checkArity(Node& node) {
  if (node.hasErrors) return;
  const OpDef& op = *node.op;
  const std::vector<std::optional<Span>>& claimed = claimed_[node.id];
  auto isOptional = [&](size_t i) { return i < op.inputs().size() && op.inputs()[i].optional; };
  bool anyLinked = false, anyRequired = op.hasVariadicInput();
  for (size_t i = 0; i < claimed.size(); ++i) {
    anyLinked = anyLinked || claimed[i].has_value();
    anyRequired = anyRequired || !isOptional(i);
  }
  if (!anyLinked) {
    if (!anyRequired) return;
    node.hasErrors = true;
    if (quiet_.count(node.id)) return;
    diags_.report(diag::UnconnectedInput, node.span,
                  op.name() + " " + quoted(node.name) + " has nothing linked to it")
        .help = "link a block to it, e.g. 'x -> " + node.name + "'";
    return;
  }
  for (size_t i = 0; i < claimed.size(); ++i) {
    if (isOptional(i) || claimed[i]) continue;
    std::string port = i < op.inputs().size() ? op.inputs()[i].name : std::to_string(i);
    node.hasErrors = true;
    if (quiet_.count(node.id)) return;
    Diagnostic& d = diags_.report(diag::ArityMismatch, node.span,
                                  op.name() + " " + quoted(node.name) + " needs its input " +
                                      quoted(port) + " linked");
    for (const auto& at : claimed)
      if (at) addNote(d, *at, "only this is linked");
    return;
  }
}

void LinkBuilder::finish() {
  for (const PendingEdge& edge : edges_) {
    std::optional<PortRef> port = resolve(edge.from);
    Node& node = graph_.node(edge.node);
    if (!port) {
      node.hasErrors = true;
      continue;
    }
    node.inputs[edge.input] = InputLink{*port, edge.span};
  }
  for (const PendingOutput& out : outputs_)
    if (std::optional<PortRef> port = resolve(out.from))
      graph_.outputs.push_back({out.name, *port, out.span});
  for (Node& node : graph_.nodes) checkArity(node);
}

}  // namespace sketch
