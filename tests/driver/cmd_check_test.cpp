#include <doctest/doctest.h>

#include <sstream>

#include "driver/commands.h"

using namespace sketch;

namespace {

struct Report {
  int code;
  std::string out, err;
};

Report check(OutputFormat format, unsigned jobs) {
  CheckOptions options;
  options.paths = {SKETCH_SOURCE_DIR "/examples", SKETCH_SOURCE_DIR "/tests/bad"};
  options.format = format;
  options.jobs = jobs;
  std::ostringstream out, err;
  CommandIO io{out, err, "never"};
  int code = runCheck(options, io);
  return {code, out.str(), err.str()};
}

}  // namespace

// The threads of one process share the op catalogue, the converter registries and the
// logger: the same report from 1 and from 8 threads is evidence that nothing else is shared.
TEST_CASE("check reports the same on one thread and on many") {
  for (OutputFormat format : {OutputFormat::Text, OutputFormat::Json, OutputFormat::Sarif}) {
    CAPTURE(static_cast<int>(format));
    Report sequential = check(format, 1);
    CHECK(sequential.code == kExitUsage);  // tests/bad names a missing weights file
    for (int attempt = 0; attempt < 3; ++attempt) {
      Report parallel = check(format, 8);
      CHECK(parallel.code == sequential.code);
      CHECK(parallel.out == sequential.out);
      CHECK(parallel.err == sequential.err);
    }
  }
}
