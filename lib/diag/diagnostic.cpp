#include "diag/diagnostic.h"

#include <algorithm>
#include <cerrno>

namespace sketch {

const char* severityName(Severity severity) {
  switch (severity) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "error";
}

namespace diag {

namespace {
struct KindInfo {
  Severity severity;
  const char* code;
};
constexpr KindInfo kKinds[] = {
#define DIAG(name, severity, code) {Severity::severity, code},
#include "diag/diagnostic_kinds.def"
};
}  // namespace

const char* code(Kind kind) { return kKinds[kind].code; }
Severity severity(Kind kind) { return kKinds[kind].severity; }

Kind openFailure(int errorNumber) { return errorNumber == ENOENT ? FileNotFound : FileUnreadable; }

}  // namespace diag

Diagnostic& DiagnosticEngine::report(diag::Kind kind, Span span, std::string message) {
  if (!seen_.insert({kind, span.file, span.begin, span.end, message}).second) {
    discarded_ = Diagnostic{};
    return discarded_;
  }
  Diagnostic d;
  d.kind = kind;
  d.severity = diag::severity(kind);
  d.span = span;
  d.message = std::move(message);
  if (span.isValid()) d.file = sources_.name(span.file);
  if (d.severity == Severity::Error) ++errors_;
  if (d.severity == Severity::Warning) ++warnings_;
  diagnostics_.push_back(std::move(d));
  return diagnostics_.back();
}

Diagnostic& DiagnosticEngine::reportFile(diag::Kind kind, std::string file, std::string message) {
  Diagnostic& d = report(kind, Span{}, std::move(message));
  d.file = std::move(file);
  return d;
}

void DiagnosticEngine::sortByLocation() {
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     if (a.span.file != b.span.file) return a.span.file < b.span.file;
                     return a.span.begin < b.span.begin;
                   });
}

}  // namespace sketch
