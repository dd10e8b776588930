#include <doctest/doctest.h>

#include "onnx_import_support.h"

namespace sketch::testing {
namespace {

/// Imports x -> op -> y and returns the op node (after the input).
const Node* importUnary(Imported& imported, ModelBuilder& b) {
  imported = importProto(b.model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  REQUIRE(imported.model->graph.nodes.size() >= 2);
  return &imported.model->graph.nodes.back();
}

TEST_CASE("onnx import Clip: ReLU6, ReLU, Hardtanh or Clamp by its bounds") {
  struct Case {
    float low, high;
    const char* op;
  };
  const Case cases[] = {{0, 6, "ReLU6"}, {0, 1e30f, "Hardtanh"}, {-1, 1, "Hardtanh"}};
  for (const Case& c : cases) {
    CAPTURE(c.op);
    ModelBuilder b;
    b.input("x", {1, 4});
    b.weight("lo", {}, {c.low});
    b.weight("hi", {}, {c.high});
    b.node("Clip", {"x", "lo", "hi"}, {"y"}, "/act/Clip");
    b.output("y", {1, 4});
    Imported imported;
    CHECK(importUnary(imported, b)->op->name() == c.op);
  }
  ModelBuilder b;
  b.input("x", {1, 4});
  b.weight("lo", {}, {0});
  b.node("Clip", {"x", "lo"}, {"y"}, "/act/Clip");
  b.output("y", {1, 4});
  Imported imported;
  CHECK(importUnary(imported, b)->op->name() == "ReLU");
}

TEST_CASE("onnx import activations: attributes map to PyTorch's names") {
  ModelBuilder b;
  b.input("x", {1, 4});
  setAttr(b.node("LeakyRelu", {"x"}, {"y"}, "/act/LeakyRelu"), "alpha", 0.2f);
  b.output("y", {1, 4});
  Imported imported;
  const Node* node = importUnary(imported, b);
  CHECK(node->op->name() == "LeakyReLU");
  CHECK(node->path == "act");
  CHECK(node->attrs.at("negative_slope") == Value::ofFloat(0.2));  // not 0.200000003
}

TEST_CASE("onnx import Softmax: axis becomes dim") {
  ModelBuilder b;
  b.input("x", {2, 4});
  setAttr(b.node("Softmax", {"x"}, {"y"}), "axis", int64_t{-1});
  b.output("y", {2, 4});
  Imported imported;
  const Node* node = importUnary(imported, b);
  CHECK(node->op->name() == "Softmax");
  CHECK(node->attrs.at("dim") == Value::ofInt(-1));
}

}  // namespace
}  // namespace sketch::testing
