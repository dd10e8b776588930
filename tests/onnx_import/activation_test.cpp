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

/// torch.onnx.export's GELU (erf form) on x: [2, 4], with `sqrt2` as the divisor; when
/// `shareErf`, the Erf's value is a second graph output, so it must survive.
onnx::ModelProto decomposedGelu(float sqrt2, bool shareErf = false) {
  ModelBuilder b;
  b.input("x", {2, 4});
  b.weight("c_sqrt2", {}, {sqrt2});
  b.weight("c_one", {}, {1.0f});
  b.weight("c_half", {}, {0.5f});
  b.node("Div", {"x", "c_sqrt2"}, {"d"}, "/act/Div");
  b.node("Erf", {"d"}, {"e"}, "/act/Erf");
  b.node("Add", {"e", "c_one"}, {"a"}, "/act/Add");
  b.node("Mul", {"x", "a"}, {"m"}, "/act/Mul");
  b.node("Mul", {"m", "c_half"}, {"y"}, "/act/Mul_1");
  b.output("y", {2, 4});
  if (shareErf) b.output("e", {2, 4});
  return b.model();
}

TEST_CASE("onnx import: torch.onnx.export's decomposed GELU reads back as GELU, and only it") {
  Imported imported = importProto(decomposedGelu(1.4142135f));
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  std::map<std::string, int> ops = opHistogram(imported.model->graph);
  CHECK(ops == std::map<std::string, int>{{"Input", 1}, {"GELU", 1}});
  const Node* gelu = findNode(imported.model->graph, "act");
  REQUIRE(gelu);
  CHECK(gelu->attrs.at("approximate") == Value::ofString("none"));
  // Another divisor computes something else, and a value read elsewhere must stay.
  for (const onnx::ModelProto& model : {decomposedGelu(1.5f), decomposedGelu(1.4142135f, true)}) {
    Imported other = importProto(model);
    REQUIRE_MESSAGE(other.model, other.rendered());
    CHECK(opHistogram(other.model->graph).count("GELU") == 0);
    CHECK(opHistogram(other.model->graph)["Erf"] == 1);
  }
}

TEST_CASE("onnx import: torch.onnx.export's tanh-form GELU reads back as GELU('tanh')") {
  ModelBuilder b;
  b.input("x", {2, 4});
  b.weight("c_cube", {}, {0.044715f});
  b.weight("c_scale", {}, {0.7978846f});
  b.weight("c_one", {}, {1.0f});
  b.weight("c_half", {}, {0.5f});
  b.node("Mul", {"x", "x"}, {"sq"}, "/act/Mul");
  b.node("Mul", {"x", "sq"}, {"cube"}, "/act/Mul_1");
  b.node("Mul", {"c_cube", "cube"}, {"t"}, "/act/Mul_2");
  b.node("Add", {"x", "t"}, {"inner"}, "/act/Add");
  b.node("Mul", {"c_scale", "inner"}, {"s"}, "/act/Mul_3");
  b.node("Tanh", {"s"}, {"th"}, "/act/Tanh");
  b.node("Add", {"c_one", "th"}, {"a"}, "/act/Add_1");
  b.node("Mul", {"x", "a"}, {"m"}, "/act/Mul_4");
  b.node("Mul", {"c_half", "m"}, {"y"}, "/act/Mul_5");
  b.output("y", {2, 4});
  Imported imported = importProto(b.model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  CHECK(opHistogram(imported.model->graph) == std::map<std::string, int>{{"Input", 1}, {"GELU", 1}});
  const Node* gelu = findNode(imported.model->graph, "act");
  REQUIRE(gelu);
  CHECK(gelu->attrs.at("approximate") == Value::ofString("tanh"));
}

}  // namespace
}  // namespace sketch::testing
