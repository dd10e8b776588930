#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "import/converter.h"

namespace sketch::onnx_import {
namespace {

TEST_CASE("onnx importer registry: every registered op resolves at opsets 13 to 17") {
  // Models below 13 are upgraded to 13 on load, so 13..17 is every opset a converter sees.
  const ConverterRegistry& r = onnxImporters();
  for (const auto& entry : r.entries()) {  // not a structured binding: CAPTURE needs a variable
    const auto& key = entry.first;
    for (int opset = 13; opset <= 17; ++opset) {
      if (!ConverterRegistry::sinceVersion(key.domain, key.opType, opset)) continue;  // newer op
      CAPTURE(key.opType);
      CAPTURE(opset);
      CHECK(r.find(key.domain, key.opType, opset) != nullptr);
    }
  }
}

TEST_CASE("onnx importer registry: versions resolve through the schema registry") {
  CHECK(ConverterRegistry::sinceVersion("", "Relu", 13) == 13);
  CHECK(ConverterRegistry::sinceVersion("", "Relu", 17) == 14);
  CHECK(ConverterRegistry::sinceVersion("", "Conv", 17) == 11);
  CHECK(ConverterRegistry::sinceVersion("", "NoSuchOp", 17) == std::nullopt);
  CHECK(onnxImporters().find("", "NoSuchOp", 13) == nullptr);
  CHECK(onnxImporters().find("com.example", "Conv", 1) == nullptr);
}

TEST_CASE("onnx importer registry: registering a key twice aborts") {
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The child inherits doctest's crash handler, which would report the expected abort.
    std::signal(SIGABRT, SIG_DFL);
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    ConverterRegistry r;
    r.add({"", "Relu", 14}, [](ConvertContext&) { return true; });
    r.add({"", "Relu", 14}, [](ConvertContext&) { return true; });
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGABRT);
}

}  // namespace
}  // namespace sketch::onnx_import
