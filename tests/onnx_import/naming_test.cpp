#include <doctest/doctest.h>

#include "import/converter.h"

namespace sketch::onnx_import {
namespace {

TEST_CASE("onnx import naming: module paths from torch scopes") {
  struct Case {
    const char* node;
    const char* path;
  };
  const Case cases[] = {
      {"/layer1/layer1.0/conv1/Conv", "layer1.0.conv1"},
      {"/layer2/layer2.0/downsample/downsample.0/Conv", "layer2.0.downsample.0"},
      {"/enc/layers.0/self_attn/MatMul", "enc.layers.0.self_attn"},
      {"/features/features.3/Concat", "features.3"},
      {"/Flatten", ""},
      {"Identity_0", ""},
      {"", ""},
      {"/my-block/x y/Relu", "my_block.x_y"},
      {"/input/Relu", "input_"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.node);
    CHECK(scopePath(c.node) == c.path);
  }
}

TEST_CASE("onnx import naming: identifiers the language accepts") {
  CHECK(sanitizeComponent("relu_1") == "relu_1");
  CHECK(sanitizeComponent("12") == "12");
  CHECK(sanitizeComponent("1x") == "_1x");
  CHECK(sanitizeComponent("onnx::Conv_5") == "onnx__Conv_5");
  CHECK(sanitizeComponent("output") == "output_");
  CHECK(sanitizeComponent("") == "_");
}

}  // namespace
}  // namespace sketch::onnx_import
