// Diagnostic and DiagnosticEngine: collected, located problems.
//
// The engine only collects; renderers (text_renderer.h, json_renderer.h) print. Messages
// follow rustc's style: lowercase, no final period, names in 'quotes', expected vs. found;
// the fix goes in `help`.
#pragma once

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "diag/source_manager.h"

namespace sketch {

enum class Severity { Note, Warning, Error };
const char* severityName(Severity severity);

namespace diag {
enum Kind {
#define DIAG(name, severity, code, summary) name,
#include "diag/diagnostic_kinds.def"
  KindCount
};
const char* code(Kind kind);
/// What the kind of diagnostic is about, in a line (SARIF's rule description).
const char* summary(Kind kind);
Severity severity(Kind kind);
/// The kind for an input file that cannot be opened, from the errno: FileNotFound for
/// ENOENT, FileUnreadable otherwise (a folder, no permission).
Kind openFailure(int errorNumber);
}  // namespace diag

struct Note {
  Span span;  // may be invalid: a note without a place
  std::string message;
};

struct Diagnostic {
  diag::Kind kind = diag::KindCount;
  Severity severity = Severity::Error;
  Span span;
  std::string message;
  std::vector<Note> notes;
  std::string help;
  /// File name for diagnostics without a span (unreadable file, weights file, ...).
  std::string file;
};

/// Errors kept per run unless --error-limit says otherwise, as in clang: the first ones are
/// the ones a reader acts on, and a file of garbage must not cost memory per byte.
constexpr size_t kDefaultErrorLimit = 20;

class DiagnosticEngine {
 public:
  /// `errorLimit` errors are kept (0: all); the first one past it leaves a TooManyErrors
  /// note at its place, and later ones are dropped.
  explicit DiagnosticEngine(const SourceManager& sources, size_t errorLimit = 0)
      : sources_(sources), errorLimit_(errorLimit) {}

  /// Reports a problem at a span; returns it so that notes and help can be attached. The
  /// same problem at the same place (one block definition's error in several instances)
  /// is kept once, and errors past the limit are dropped: the returned diagnostic is then
  /// a scratch copy that is not recorded.
  Diagnostic& report(diag::Kind kind, Span span, std::string message);
  /// Reports a problem with a file that has no position (I/O errors, binary formats).
  Diagnostic& reportFile(diag::Kind kind, std::string file, std::string message);

  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  size_t errorCount() const { return errors_; }
  size_t warningCount() const { return warnings_; }
  bool hasErrors() const { return errors_ > 0; }
  size_t errorLimit() const { return errorLimit_; }
  const SourceManager& sources() const { return sources_; }

  /// Orders diagnostics by file, then position (stable for equal positions).
  void sortByLocation();

 private:
  Diagnostic& record(diag::Kind kind, Span span, std::string file, std::string message);

  const SourceManager& sources_;
  std::vector<Diagnostic> diagnostics_;
  std::set<std::tuple<int, FileId, uint32_t, uint32_t, std::string>> seen_;
  Diagnostic discarded_;
  size_t errorLimit_;
  bool limitReached_ = false;
  size_t errors_ = 0;
  size_t warnings_ = 0;
};

/// Adds a note that points at another place (the other side of a mismatch).
inline Diagnostic& addNote(Diagnostic& d, Span span, std::string message) {
  d.notes.push_back({span, std::move(message)});
  return d;
}

}  // namespace sketch
