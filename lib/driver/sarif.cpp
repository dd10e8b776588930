#include "driver/sarif.h"

#include <cctype>
#include <cstdio>

namespace sketch {

namespace {

constexpr const char* kSchema = "https://json.schemastore.org/sarif-2.1.0.json";

const char* levelName(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "none";
}

nlohmann::json rules() {
  nlohmann::json list = nlohmann::json::array();
  for (int k = 0; k < diag::KindCount; ++k) {
    auto kind = static_cast<diag::Kind>(k);
    list.push_back({{"id", diag::code(kind)},
                    {"shortDescription", {{"text", diag::summary(kind)}}},
                    {"defaultConfiguration", {{"level", levelName(diag::severity(kind))}}}});
  }
  return list;
}

// RFC 3986: unreserved characters and '/' stay, every other byte is percent-encoded.
std::string uriPath(const std::string& path) {
  std::string uri;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      uri += static_cast<char>(c);
      continue;
    }
    char escaped[4];
    std::snprintf(escaped, sizeof escaped, "%%%02X", c);
    uri += escaped;
  }
  return uri;
}

nlohmann::json artifactLocation(const std::string& path) {
  if (!path.empty() && path[0] == '/') return {{"uri", "file://" + uriPath(path)}};
  return {{"uri", uriPath(path)}, {"uriBaseId", "%SRCROOT%"}};
}

// SARIF columns count Unicode code points (run.columnKind); the SourceManager counts bytes.
uint32_t codePointColumn(const SourceManager& sources, FileId file, LineColumn at) {
  std::string_view line = sources.lineText(file, at.line);
  size_t bytes = std::min<size_t>(at.column - 1, line.size());
  uint32_t column = 1;
  for (size_t i = 0; i < bytes; ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;
  return column + static_cast<uint32_t>(at.column - 1 - bytes);
}

nlohmann::json physicalLocation(const SourceManager& sources, Span span) {
  LineColumn begin = sources.lineColumn(span.file, span.begin);
  LineColumn end = sources.lineColumn(span.file, span.end);
  return {{"artifactLocation", artifactLocation(sources.name(span.file))},
          {"region",
           {{"startLine", begin.line},
            {"startColumn", codePointColumn(sources, span.file, begin)},
            {"endLine", end.line},
            {"endColumn", codePointColumn(sources, span.file, end)}}}};
}

nlohmann::json result(const SourceManager& sources, const Diagnostic& d) {
  std::string text = d.message;
  nlohmann::json related = nlohmann::json::array();
  for (const Note& note : d.notes) {
    if (!note.span.isValid()) {
      text += "\nnote: " + note.message;
      continue;
    }
    related.push_back({{"id", related.size()},
                       {"physicalLocation", physicalLocation(sources, note.span)},
                       {"message", {{"text", note.message}}}});
  }
  if (!d.help.empty()) text += "\nhelp: " + d.help;
  nlohmann::json r{{"ruleId", diag::code(d.kind)},
                   {"ruleIndex", static_cast<int>(d.kind)},
                   {"level", levelName(d.severity)},
                   {"message", {{"text", text}}}};
  if (d.span.isValid())
    r["locations"] = nlohmann::json::array({{{"physicalLocation", physicalLocation(sources, d.span)}}});
  else if (!d.file.empty())  // code scanning wants a line even for a whole-file problem
    r["locations"] = nlohmann::json::array({{{"physicalLocation",
                                              {{"artifactLocation", artifactLocation(d.file)},
                                               {"region", {{"startLine", 1}}}}}}});
  if (!related.empty()) r["relatedLocations"] = std::move(related);
  return r;
}

}  // namespace

nlohmann::json sarifLog(const std::vector<const DiagnosticEngine*>& files) {
  nlohmann::json results = nlohmann::json::array();
  for (const DiagnosticEngine* diags : files)
    for (const Diagnostic& d : diags->diagnostics()) results.push_back(result(diags->sources(), d));
  nlohmann::json driver{{"name", "sketchc"},
                        {"version", SKETCH_VERSION},
                        {"semanticVersion", SKETCH_VERSION},
                        {"rules", rules()}};
  nlohmann::json run{{"tool", {{"driver", std::move(driver)}}},
                     {"columnKind", "unicodeCodePoints"},
                     {"results", std::move(results)}};
  return {{"$schema", kSchema}, {"version", "2.1.0"}, {"runs", nlohmann::json::array({std::move(run)})}};
}

}  // namespace sketch
