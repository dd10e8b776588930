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
  const char* summary;
};
constexpr KindInfo kKinds[] = {
#define DIAG(name, severity, code, summary) {Severity::severity, code, summary},
#include "diag/diagnostic_kinds.def"
};
}  // namespace

const char* code(Kind kind) { return kKinds[kind].code; }
const char* summary(Kind kind) { return kKinds[kind].summary; }
Severity severity(Kind kind) { return kKinds[kind].severity; }

Kind openFailure(int errorNumber) { return errorNumber == ENOENT ? FileNotFound : FileUnreadable; }

}  // namespace diag

Diagnostic& DiagnosticEngine::report(diag::Kind kind, Span span, std::string message) {
  return record(kind, span, span.isValid() ? sources_.name(span.file) : "", std::move(message));
}

Diagnostic& DiagnosticEngine::reportFile(diag::Kind kind, std::string file, std::string message) {
  return record(kind, Span{}, std::move(file), std::move(message));
}

Diagnostic& DiagnosticEngine::record(diag::Kind kind, Span span, std::string file,
                                     std::string message) {
  bool overLimit = diag::severity(kind) == Severity::Error && errorLimit_ && errors_ >= errorLimit_;
  if (overLimit && !limitReached_)
    record(diag::TooManyErrors, span, file,
           "too many errors: stopped after the first " + std::to_string(errorLimit_))
        .help = "--error-limit N keeps N errors, --error-limit 0 all of them";
  // A copy of another engine's note (the parser's) counts as reaching the limit here too.
  bool repeated = kind == diag::TooManyErrors && limitReached_;
  if (overLimit || repeated ||
      !seen_.insert({kind, span.file, span.begin, span.end, message}).second) {
    discarded_ = Diagnostic{};
    return discarded_;
  }
  limitReached_ = limitReached_ || kind == diag::TooManyErrors;
  Diagnostic d;
  d.kind = kind;
  d.severity = diag::severity(kind);
  d.span = span;
  d.message = std::move(message);
  d.file = std::move(file);
  if (d.severity == Severity::Error) ++errors_;
  if (d.severity == Severity::Warning) ++warnings_;
  diagnostics_.push_back(std::move(d));
  return diagnostics_.back();
}

void DiagnosticEngine::sortByLocation() {
  // The too-many-errors note stays last: what it says is about the errors above it.
  auto key = [](const Diagnostic& d) {
    return std::make_tuple(d.kind == diag::TooManyErrors, d.span.file, d.span.begin);
  };
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
}

}  // namespace sketch
