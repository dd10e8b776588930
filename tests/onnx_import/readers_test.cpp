#include <doctest/doctest.h>

#include "import/converter.h"
#include "onnx_ops.h"

namespace sketch::onnx_import {
namespace {

TEST_CASE("onnx op table: every op a row reads resolves at opsets 13 to 17") {
  // Models below 13 are upgraded to 13 on load, so 13..17 is every opset a converter sees.
  for (const OnnxOp& row : onnxOps().rows()) {
    if (!row.import) continue;
    for (int opset = 13; opset <= 17; ++opset) {
      if (!sinceVersion("", row.foreign, opset)) continue;  // newer op
      CAPTURE(row.foreign);
      CAPTURE(opset);
      CHECK(findReader("", row.foreign, opset) == &row);
    }
  }
}

TEST_CASE("onnx op table: versions resolve through the schema registry") {
  CHECK(sinceVersion("", "Relu", 13) == 13);
  CHECK(sinceVersion("", "Relu", 17) == 14);
  CHECK(sinceVersion("", "Conv", 17) == 11);
  CHECK(sinceVersion("", "NoSuchOp", 17) == std::nullopt);
  CHECK(findReader("", "NoSuchOp", 13) == nullptr);
  CHECK(findReader("com.example", "Conv", 1) == nullptr);
}

}  // namespace
}  // namespace sketch::onnx_import
