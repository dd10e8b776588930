// Builds and checks a sketch given as text, for graph tests.
#pragma once

#include <sstream>
#include <string>

#include "diag/text_renderer.h"
#include "graph/build_graph.h"
#include "graph/check_outputs.h"
#include "graph/infer_shapes.h"
#include "lang/parser.h"

namespace sketch::testing {

struct Checked {
  SourceManager sources;
  DiagnosticEngine diags{sources};
  Graph graph;

  /// All diagnostics rendered as plain text (clang style, no colour).
  std::string rendered() const {
    std::ostringstream out;
    TextRenderer renderer(sources, false);
    for (const Diagnostic& d : diags.diagnostics()) renderer.render(out, d);
    return out.str();
  }
  /// "line:col: severity: message" per diagnostic, for compact expectations.
  std::string brief() const {
    std::string s;
    for (const Diagnostic& d : diags.diagnostics()) {
      LineColumn lc = d.span.isValid() ? sources.lineColumn(d.span.file, d.span.begin) : LineColumn{};
      s += std::to_string(lc.line) + ":" + std::to_string(lc.column) + ": " +
           severityName(d.severity) + ": " + d.message + "\n";
    }
    return s;
  }
  const Node* find(const std::string& path) const {
    for (const Node& n : graph.nodes)
      if (n.path == path) return &n;
    return nullptr;
  }
};

inline std::unique_ptr<Checked> check(const std::string& text) {
  auto c = std::make_unique<Checked>();
  FileId file = c->sources.addFile("t.sketch", text);
  ast::Module module = parseSketch(file, c->sources, c->diags);
  c->graph = buildGraph(module, c->diags);
  if (inferShapes(c->graph, c->diags)) checkOutputs(c->graph, c->diags, file);
  return c;
}

}  // namespace sketch::testing
