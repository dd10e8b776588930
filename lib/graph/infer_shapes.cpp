#include "graph/infer_shapes.h"

#include <algorithm>
#include <cstdint>
#include <functional>

#include "ops/shape_context.h"

namespace sketch {

namespace {

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// Finds one cycle by depth-first search and reports it at the link that closes it.
void reportCycle(const Graph& graph, DiagnosticEngine& diags) {
  enum class State { New, Active, Done };
  std::vector<State> state(graph.nodes.size(), State::New);
  std::vector<NodeId> stack;
  std::vector<std::vector<NodeId>> next = graph.successors();
  std::function<bool(NodeId)> visit = [&](NodeId id) {
    state[id] = State::Active;
    stack.push_back(id);
    for (NodeId n : next[id]) {
      if (state[n] == State::Active) {
        auto begin = std::find(stack.begin(), stack.end(), n);
        std::string path;
        for (auto it = begin; it != stack.end(); ++it) path += quoted(graph.node(*it).path) + " -> ";
        path += quoted(graph.node(n).path);
        Span closing = graph.node(n).span;
        for (const auto& link : graph.node(n).inputs)
          if (link && link->source.node == id) closing = link->span;
        Diagnostic& d = diags.report(diag::Cycle, closing, "links form a cycle: " + path);
        addNote(d, graph.node(n).span, quoted(graph.node(n).path) + " is declared here");
        d.help = "a network is a directed acyclic graph; break one of these links";
        return true;
      }
      if (state[n] == State::New && visit(n)) return true;
    }
    stack.pop_back();
    state[id] = State::Done;
    return false;
  };
  for (const Node& n : graph.nodes)
    if (state[n.id] == State::New && visit(n.id)) return;
}

class ShapePass {
 public:
  ShapePass(Graph& graph, DiagnosticEngine& diags) : graph_(graph), diags_(diags) {}

  void run(NodeId id) {
    Node& node = graph_.node(id);
    std::vector<TensorType> inputs;
    std::vector<std::string> names;
    bool inputsOk = !node.hasErrors;
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      const auto& link = node.inputs[i];
      if (!link) {
        // A required input left unlinked follows from an error the link pass reported.
        const auto& ports = node.op->inputs();
        inputsOk = inputsOk && i < ports.size() && ports[i].optional;
        inputs.push_back(TensorType::errorType());
        names.emplace_back();
        continue;
      }
      const Node& producer = graph_.node(link->source.node);
      if (link->source.port >= producer.outputs.size()) {
        if (!producer.hasErrors && !producer.outputs.empty() && !producer.outputs[0].error)
          diags_.report(diag::UnknownPort, link->span,
                        producer.op->name() + " " + quoted(producer.name) + " has no output " +
                            std::to_string(link->source.port) + ": it has only " +
                            std::to_string(producer.outputs.size()) + " outputs");
        inputsOk = false;
        inputs.push_back(TensorType::errorType());
      } else {
        inputs.push_back(graph_.typeOf(link->source));
        inputsOk = inputsOk && !inputs.back().error;
      }
      names.push_back(graph_.portName(link->source));
    }
    if (!inputsOk) {
      poison(node);
      return;
    }
    ShapeContext ctx(*node.op, node.name, node.attrs, std::move(inputs), std::move(names));
    for (size_t i = 0; i < node.inputs.size(); ++i)
      if (!node.inputs[i]) ctx.markUnconnected(i);
    node.op->shapeFn()(ctx);
    for (const ShapeIssue& issue : ctx.issues()) report(node, issue);
    if (!ctx.ok()) {
      poison(node);
      return;
    }
    node.outputs = ctx.outputs();
    if (reportOverflow(node)) return;
    if (node.op->paramFn()) node.params = node.op->paramFn()(node.attrs);
    if (reportParamOverflow(node)) return;
    matchParamDType(node, ctx);
  }

 private:
  // A layer's floating-point parameters take its input's floating-point type, as after
  // PyTorch's model.double(): a float64 network has float64 weights.
  static void matchParamDType(Node& node, const ShapeContext& ctx) {
    if (ctx.inputCount() == 0 || !ctx.hasInput(0) || !isFloatingPoint(ctx.input(0).dtype)) return;
    for (ParamSpec& p : node.params)
      if (isFloatingPoint(p.dtype)) p.dtype = ctx.input(0).dtype;
  }

  // Dim arithmetic turns an int64 overflow into an invalid dim (Flatten of [N, 2^62, 4]);
  // a shape function has no reason to report it, so it is caught here, once per node.
  bool reportOverflow(Node& node) {
    for (const TensorType& type : node.outputs)
      for (const Dim& dim : type.dims)
        if (!dim.isValid()) {
          diags_.report(diag::DimOverflow, node.span,
                        node.op->name() + " " + quoted(node.name) +
                            " gives an output dimension that overflows a 64-bit integer");
          poison(node);
          return true;
        }
    return false;
  }

  // A parameter's byte size must fit in 64 bits (Linear(2^32, 2^32)): the summary adds
  // them up and the kernels allocate them.
  bool reportParamOverflow(Node& node) {
    for (const ParamSpec& p : node.params) {
      uint64_t bytes = dtypeSize(p.dtype);
      bool overflows = false;
      for (int64_t d : p.shape)
        overflows = overflows || d < 0 || __builtin_mul_overflow(bytes, uint64_t(d), &bytes) ||
                    bytes > uint64_t(INT64_MAX);
      if (!overflows) continue;
      diags_.report(diag::DimOverflow, node.span,
                    node.op->name() + " " + quoted(node.name) + " has parameter " +
                        quoted(p.name.empty() ? node.name : p.name) +
                        " whose size overflows a 64-bit integer");
      poison(node);
      return true;
    }
    return false;
  }

  void poison(Node& node) {
    node.hasErrors = true;
    size_t count = node.op->hasVariadicOutputs() ? 1 : node.op->outputs().size();
    node.outputs.assign(count, TensorType::errorType());
  }

  void report(const Node& node, const ShapeIssue& issue) {
    Span span = node.span;
    if (issue.where == ShapeIssue::Where::Attribute) {
      auto it = node.attrSpans.find(issue.attribute);
      if (it != node.attrSpans.end()) span = it->second;
    }
    diag::Kind kind = issue.where == ShapeIssue::Where::Attribute ? diag::AttributeValue
                                                                  : diag::ShapeMismatch;
    Diagnostic& d = diags_.report(kind, span, issue.message);
    d.help = issue.help;
    if (issue.where == ShapeIssue::Where::Input && issue.input < node.inputs.size() &&
        node.inputs[issue.input]) {
      const InputLink& link = *node.inputs[issue.input];
      addNote(d, link.span,
              quoted(graph_.portName(link.source)) + " is linked to " + quoted(node.name) + " here");
    }
    addInstanceNote(d, node);
  }

  // For a node inside a block instance, point at the instance too: the definition's line
  // alone does not say which use of the block failed.
  void addInstanceNote(Diagnostic& d, const Node& node) {
    for (GroupId g = node.group; g != kNoGroup; g = graph_.groups[g].parent) {
      const Group& group = graph_.groups[g];
      if (group.kind == "Sequential") continue;
      addNote(d, group.span, "in " + quoted(group.path) + ", an instance of block " +
                                 quoted(group.kind));
      return;
    }
  }

  Graph& graph_;
  DiagnosticEngine& diags_;
};

}  // namespace

bool inferShapes(Graph& graph, DiagnosticEngine& diags) {
  std::vector<NodeId> order = graph.topologicalOrder();
  if (order.empty() && !graph.nodes.empty()) {
    reportCycle(graph, diags);
    return false;
  }
  ShapePass pass(graph, diags);
  for (NodeId id : order) pass.run(id);
  return true;
}

bool inferImportedShapes(Graph& graph, const std::string& file, DiagnosticEngine& diags) {
  SourceManager noSources;
  DiagnosticEngine scratch(noSources);
  bool ok = inferShapes(graph, scratch) && !scratch.hasErrors();
  for (const Diagnostic& d : scratch.diagnostics()) {
    Diagnostic& copy = diags.reportFile(d.kind, file, d.message);
    copy.notes = d.notes;
    copy.help = d.help;
  }
  return ok;
}

}  // namespace sketch
