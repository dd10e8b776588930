#include <doctest/doctest.h>

#include "onnx_import_support.h"

namespace sketch::testing {
namespace {

ModelBuilder convModel(const std::vector<int64_t>& pads, const std::string& weightName) {
  ModelBuilder b;
  b.input("x", {1, 2, 8, 8});
  b.weight(weightName, {4, 2, 3, 3});
  b.weight("features.0.bias", {4});
  auto& n =
      b.node("Conv", {"x", weightName, "features.0.bias"}, {"y"}, "/features/features.0/Conv");
  setAttr(n, "kernel_shape", std::vector<int64_t>{3, 3});
  setAttr(n, "pads", pads);
  setAttr(n, "strides", std::vector<int64_t>{2, 2});
  b.output("y", {1, 4, 4, 4});
  return b;
}

TEST_CASE("onnx import Conv: Conv2d named by its weight, with its weights") {
  Imported imported = importProto(convModel({1, 1, 1, 1}, "features.0.weight").model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  const Node* conv = findNode(imported.model->graph, "features.0");
  REQUIRE(conv);
  CHECK(conv->op->name() == "Conv2d");
  CHECK(conv->attrs.at("in_channels") == Value::ofInt(2));
  CHECK(conv->attrs.at("out_channels") == Value::ofInt(4));
  CHECK(conv->attrs.at("stride") == Value::ofInts({2, 2}));
  CHECK(conv->attrs.at("padding") == Value::ofInts({1, 1}));
  CHECK(conv->outputs[0].shapeString() == "[1, 4, 4, 4]");
  CHECK(floatsOf(*imported.model, "features.0.weight").size() == 72);
  CHECK(floatsOf(*imported.model, "features.0.bias") == std::vector<float>{0, 1, 2, 3});
}

TEST_CASE("onnx import Conv: a folded BatchNorm's Conv is named by its scope") {
  Imported imported = importProto(convModel({1, 1, 1, 1}, "onnx::Conv_7").model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  // The bias name still says features.0; the scope agrees.
  CHECK(findNode(imported.model->graph, "features.0"));
  CHECK(imported.model->weights.contains("features.0.weight"));
}

TEST_CASE("onnx import Conv: asymmetric pads are reported") {
  Imported imported = importProto(convModel({0, 0, 1, 1}, "features.0.weight").model());
  CHECK_FALSE(imported.model);
  CHECK(imported.rendered().find("Conv node '/features/features.0/Conv': pads (0, 0, 1, 1) differ "
                                 "at the start and end of a dim, but PyTorch pads both sides "
                                 "equally") != std::string::npos);
}

}  // namespace
}  // namespace sketch::testing
