// Helpers shared by the tests of lib/lang: parse from memory and show diagnostics as
// "line:col: severity: message" lines, so tables can assert whole messages and places.
#pragma once

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "diag/diagnostic.h"
#include "lang/parser.h"
#include "lang/yaml_frontend.h"

namespace sketch::test {

struct Parsed {
  SourceManager sources;
  DiagnosticEngine diags{sources};
  ast::Module module;
};

inline std::unique_ptr<Parsed> parseText(const std::string& text, bool yaml = false) {
  auto p = std::make_unique<Parsed>();
  FileId file = p->sources.addFile(yaml ? "t.yaml" : "t.sketch", text);
  p->module = yaml ? parseYaml(file, p->sources, p->diags) : parseSketch(file, p->sources, p->diags);
  return p;
}

inline std::string place(const SourceManager& sources, Span span) {
  LineColumn lc = sources.lineColumn(span.file, span.begin);
  return std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

/// Every diagnostic with its notes and help, one per line, in report order.
inline std::string diagnosticsText(const Parsed& p) {
  std::string out;
  for (const Diagnostic& d : p.diags.diagnostics()) {
    out += place(p.sources, d.span) + ": " + severityName(d.severity) + ": " + d.message + "\n";
    for (const Note& n : d.notes) out += place(p.sources, n.span) + ": note: " + n.message + "\n";
    if (!d.help.empty()) out += "help: " + d.help + "\n";
  }
  return out;
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string dataPath(const std::string& name) {
  return std::string(SKETCH_SOURCE_DIR) + "/tests/lang/data/" + name;
}

}  // namespace sketch::test
