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

}  // namespace sketch
