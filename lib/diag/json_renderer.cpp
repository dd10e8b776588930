#include "diag/json_renderer.h"

namespace sketch {

namespace {

void addLocation(nlohmann::json& j, const SourceManager& sources, Span span) {
  if (!span.isValid()) return;
  LineColumn begin = sources.lineColumn(span.file, span.begin);
  LineColumn end = sources.lineColumn(span.file, span.end);
  j["file"] = sources.name(span.file);
  j["line"] = begin.line;
  j["column"] = begin.column;
  j["end_line"] = end.line;
  j["end_column"] = end.column;
}

}  // namespace

nlohmann::json diagnosticToJson(const SourceManager& sources, const Diagnostic& d) {
  nlohmann::json j;
  j["file"] = d.file;
  addLocation(j, sources, d.span);
  j["severity"] = severityName(d.severity);
  j["code"] = diag::code(d.kind);
  j["message"] = d.message;
  nlohmann::json notes = nlohmann::json::array();
  for (const Note& n : d.notes) {
    nlohmann::json note{{"message", n.message}};
    addLocation(note, sources, n.span);
    notes.push_back(std::move(note));
  }
  j["notes"] = std::move(notes);
  if (!d.help.empty()) j["help"] = d.help;
  return j;
}

}  // namespace sketch
