#include <doctest/doctest.h>

#include "onnx_import_support.h"

namespace sketch::testing {
namespace {

TEST_CASE("onnx import Gemm: alpha, beta and transB fold into a Linear's weights") {
  ModelBuilder b;
  b.input("x", {2, 3});
  b.weight("fc.weight", {3, 2}, {1, 2, 3, 4, 5, 6});  // [in, out]: transB = 0
  b.weight("fc.bias", {2}, {1, -1});
  auto& n = b.node("Gemm", {"x", "fc.weight", "fc.bias"}, {"y"}, "/fc/Gemm");
  setAttr(n, "alpha", 2.0f);
  setAttr(n, "beta", 0.5f);
  b.output("y", {2, 2});
  Imported imported = importProto(b.model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  const Node* fc = findNode(imported.model->graph, "fc");
  REQUIRE(fc);
  CHECK(fc->op->name() == "Linear");
  CHECK(fc->attrs.at("in_features") == Value::ofInt(3));
  CHECK(fc->attrs.at("out_features") == Value::ofInt(2));
  CHECK(floatsOf(*imported.model, "fc.weight") == std::vector<float>{2, 6, 10, 4, 8, 12});
  CHECK(floatsOf(*imported.model, "fc.bias") == std::vector<float>{0.5, -0.5});
}

TEST_CASE("onnx import MatMul: with Add of a bias it is one Linear named by the bias") {
  ModelBuilder b;
  b.input("x", {2, 5, 3});
  b.weight("onnx::MatMul_9", {3, 4});
  b.weight("enc.linear1.bias", {4});
  b.node("MatMul", {"x", "onnx::MatMul_9"}, {"m"}, "/enc/linear1/MatMul");
  b.node("Add", {"enc.linear1.bias", "m"}, {"y"}, "/enc/linear1/Add");
  b.output("y", {2, 5, 4});
  Imported imported = importProto(b.model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  const Node* linear = findNode(imported.model->graph, "enc.linear1");
  REQUIRE(linear);
  CHECK(linear->op->name() == "Linear");
  CHECK(linear->outputs[0].shapeString() == "[2, 5, 4]");
  CHECK(opHistogram(imported.model->graph) ==
        std::map<std::string, int>{{"Input", 1}, {"Linear", 1}});
  // ONNX keeps [in, out]; PyTorch's weight is [out, in].
  CHECK(floatsOf(*imported.model, "enc.linear1.weight") ==
        std::vector<float>{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11});
}

TEST_CASE("onnx import MatMul: of two activations it stays MatMul") {
  ModelBuilder b;
  b.input("a", {2, 3});
  b.input("c", {3, 4});
  b.node("MatMul", {"a", "c"}, {"y"});
  b.output("y", {2, 4});
  Imported imported = importProto(b.model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  CHECK(opHistogram(imported.model->graph).count("MatMul"));
}

}  // namespace
}  // namespace sketch::testing
