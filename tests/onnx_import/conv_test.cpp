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

TEST_CASE("onnx import Conv: asymmetric pads become a padding layer before it") {
  Imported imported = importProto(convModel({0, 0, 1, 1}, "features.0.weight").model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  const Graph& graph = imported.model->graph;
  CHECK(opHistogram(graph) ==
        std::map<std::string, int>{{"Conv2d", 1}, {"Input", 1}, {"ZeroPad2d", 1}});
  const Node* pad = findNode(graph, "features.0.zeropad2d");
  REQUIRE(pad);
  CHECK(pad->attrs.at("padding") == Value::ofInts({0, 1, 0, 1}));  // (left, right, top, bottom)
  const Node* conv = findNode(graph, "features.0");
  REQUIRE(conv);
  CHECK(conv->attrs.at("padding") == Value::ofInts({0, 0}));
  CHECK(conv->outputs[0].shapeString() == "[1, 4, 4, 4]");
}

TEST_CASE("onnx import ConvTranspose: in and out channels from PyTorch's weight layout") {
  ModelBuilder b;
  b.input("x", {1, 4, 5, 5});
  b.weight("up.weight", {4, 3, 2, 2});
  auto& n = b.node("ConvTranspose", {"x", "up.weight"}, {"y"}, "/up/ConvTranspose");
  setAttr(n, "strides", std::vector<int64_t>{2, 2});
  b.output("y", {1, 3, 10, 10});
  Imported imported = importProto(b.model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  const Node* up = findNode(imported.model->graph, "up");
  REQUIRE(up);
  CHECK(up->op->name() == "ConvTranspose2d");
  CHECK(up->attrs.at("in_channels") == Value::ofInt(4));
  CHECK(up->attrs.at("out_channels") == Value::ofInt(3));
  CHECK(up->outputs[0].shapeString() == "[1, 3, 10, 10]");
}

TEST_CASE("onnx import Pad: constant mode in PyTorch's order, last dim first") {
  ModelBuilder b;
  b.input("x", {1, 2, 3});
  b.ints("pads", {0, 0, 1, 0, 0, 2});
  b.weight("value", {}, {0.5f});
  b.node("Pad", {"x", "pads", "value"}, {"y"}, "/pad/Pad");
  b.output("y", {1, 2, 6});
  Imported imported = importProto(b.model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  const Node* pad = findNode(imported.model->graph, "pad");
  REQUIRE(pad);
  CHECK(pad->op->name() == "ConstantPad1d");
  CHECK(pad->attrs.at("padding") == Value::ofInts({1, 2}));
  CHECK(pad->attrs.at("value") == Value::ofFloat(0.5));
}

}  // namespace
}  // namespace sketch::testing
