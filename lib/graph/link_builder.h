// LinkBuilder: turns link statements into input connections of graph nodes.
//
// Links may name block instances and Sequentials, whose ports are not nodes. Each such input
// port is a *relay*: the link into it sets the relay's upstream source, and everything
// linked from the matching block input inside the body reads from the relay. Sources are
// resolved through relays only at the end (finish), so link statements may come in any
// order. Relays also give every "input of block X is never linked" error a single place.
#pragma once

#include <unordered_map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "graph/graph.h"
#include "lang/ast.h"

namespace sketch {

using RelayId = uint32_t;

/// Where a value comes from: a node's output port, or a relay (a block or Sequential input).
struct Source {
  bool isRelay = false;
  PortRef port;
  RelayId relay = 0;
};

/// Something a name in one scope refers to.
struct Entity {
  enum class Kind { Node, Instance, ScopeInput };
  Kind kind = Kind::Node;
  Span nameSpan;
  GroupId group = kNoGroup;  // Kind::Instance: its group (none for failed declarations)
  NodeId node = 0;    // Kind::Node
  RelayId relay = 0;  // Kind::ScopeInput
  // Kind::Instance: the ports of a block instance or Sequential.
  std::string kindName;
  std::vector<std::string> inputNames;
  std::vector<RelayId> inputs;
  std::vector<std::string> outputNames;
  std::vector<std::optional<Source>> outputs;
  bool valid = true;  // false after its arguments were reported: links to it stay silent
};

/// The names of one body (the file, or one instance of a block definition).
struct LinkScope {
  GroupId group = kNoGroup;
  std::string pathPrefix;  // "layer1.0." inside an instance, "" at the top
  Span instanceSpan;       // the call that made this instance
  std::unordered_map<std::string, Entity> entities;
  // The block's own ports, as declared by `input` and `output` statements in its body.
  std::vector<std::string> inputNames;
  std::vector<RelayId> inputRelays;
  std::vector<std::string> outputNames;
  std::vector<std::optional<Source>> outputSources;
  std::vector<Span> outputSpans;
};

class LinkBuilder {
 public:
  LinkBuilder(Graph& graph, DiagnosticEngine& diags) : graph_(graph), diags_(diags) {}

  bool isDeclared(const LinkScope& scope, const std::string& name) const;
  Span declarationSpan(const LinkScope& scope, const std::string& name) const;

  void declareNode(LinkScope& scope, const std::string& name, Span nameSpan, NodeId node);
  void declareScopeInput(LinkScope& scope, const std::string& name, Span nameSpan);
  /// A Sequential: chains `children` (names declared in `inner`) in order.
  void declareSequential(LinkScope& scope, const std::string& name, Span nameSpan, Span callSpan,
                         const LinkScope& inner, const std::vector<std::string>& children);
  /// An instance of a block definition whose body was processed into `inner`.
  void declareInstance(LinkScope& scope, const std::string& name, Span nameSpan, Span callSpan,
                       const LinkScope& inner, bool valid);
  /// A name whose declaration failed (reported): links to it are accepted silently.
  void declareInvalid(LinkScope& scope, const std::string& name, Span nameSpan);

  void link(const ast::LinkChain& chain, LinkScope& scope);
  /// `output name = endpoint` inside a block body.
  void scopeOutput(const ast::OutputDecl& out, LinkScope& scope);
  /// `output name = endpoint` at the top level.
  void graphOutput(const ast::OutputDecl& out, LinkScope& scope);

  /// Resolves every link through relays into the nodes' inputs and reports unlinked inputs.
  void finish();
  /// Whether the file has `output` statements (even ones that failed to resolve).
  bool hasOutputStatements() const { return hasOutputStatements_; }

 private:
  struct Relay {
    std::optional<Source> upstream;
    Span linkSpan;     // where the upstream was linked
    std::string what;  // "input 'x' of 'layer1.0'" for messages
    Span declSpan;
    bool reported = false;
  };
  struct Target {
    bool isRelay = false;
    NodeId node = 0;
    uint32_t input = 0;
    RelayId relay = 0;
  };
  struct PendingEdge {
    Source from;
    NodeId node;
    uint32_t input;
    Span span;
  };
  struct PendingOutput {
    std::string name;
    Source from;
    Span span;
  };
  RelayId newRelay(std::string what, Span declSpan);
  const Entity* lookup(const LinkScope& scope, const ast::Endpoint& e);
  std::optional<Source> resolveSource(const LinkScope& scope, const ast::Endpoint& e, bool strict);
  std::optional<Target> resolveTarget(const LinkScope& scope, const ast::Endpoint& e, bool strict,
                                      Span linkSpan);
  std::optional<Target> nodeTarget(NodeId id, const ast::Endpoint& e, bool strict, Span linkSpan);
  std::optional<Target> instanceTarget(const Entity& entity, const ast::Endpoint& e, bool strict,
                                       Span linkSpan);
  void connect(const Source& from, const Target& to, Span span);
  std::optional<PortRef> resolve(const Source& source);
  void checkArity(Node& node);
  /// Marks what `entity` stands for as already reported: its missing inputs are not reported
  /// again, but its linked inputs are still checked.
  void silence(const Entity& entity);
  void silenceGroup(GroupId group);

  Graph& graph_;
  DiagnosticEngine& diags_;
  std::vector<Relay> relays_;
  std::vector<PendingEdge> edges_;
  std::vector<PendingOutput> outputs_;
  // Input ports already linked, by node.
  std::unordered_map<NodeId, std::vector<std::optional<Span>>> claimed_;
  std::set<NodeId> quiet_;  // nodes whose missing inputs follow from a reported error
  bool hasOutputStatements_ = false;
};

}  // namespace sketch
