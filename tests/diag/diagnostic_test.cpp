#include <doctest/doctest.h>

#include "diag/diagnostic.h"

namespace sketch {

TEST_CASE("the same problem at the same place is recorded and counted once") {
  SourceManager sources;
  FileId file = sources.addFile("a.sketch", "x = Foo()\n");
  DiagnosticEngine diags(sources);
  Span span{file, 4, 9};
  diags.report(diag::UnknownOp, span, "unknown op 'Foo'").help = "first";
  diags.report(diag::UnknownOp, span, "unknown op 'Foo'").help = "repeat";
  diags.report(diag::UnknownOp, Span{file, 0, 1}, "unknown op 'Foo'");
  REQUIRE(diags.diagnostics().size() == 2);
  CHECK(diags.errorCount() == 2);
  CHECK(diags.diagnostics()[0].help == "first");
}

TEST_CASE("errors past the limit are dropped; a note marks where the first of them was") {
  SourceManager sources;
  FileId file = sources.addFile("a.sketch", "abcdef\n");
  DiagnosticEngine diags(sources, 2);
  for (uint32_t i = 0; i < 5; ++i) diags.report(diag::InvalidCharacter, Span{file, i, i + 1}, "e");
  diags.report(diag::UnusedBlock, Span{file, 5, 6}, "w");
  REQUIRE(diags.diagnostics().size() == 4);
  CHECK(diags.errorCount() == 2);
  CHECK(diags.warningCount() == 1);
  const Diagnostic& note = diags.diagnostics()[2];
  CHECK(note.kind == diag::TooManyErrors);
  CHECK(note.span.begin == 2);
  CHECK(note.message == "too many errors: stopped after the first 2");
  diags.report(diag::TooManyErrors, Span{file, 0, 1}, "a copy of another engine's note");
  CHECK(diags.diagnostics().size() == 4);
}

}  // namespace sketch
