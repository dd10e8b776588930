#include <doctest/doctest.h>

#include "onnx_import_support.h"

namespace sketch::testing {
namespace {

TEST_CASE("onnx import BatchNormalization: BatchNorm2d with PyTorch's momentum and buffers") {
  ModelBuilder b;
  b.input("x", {1, 3, 4, 4});
  for (const char* name : {"bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"})
    b.weight(name, {3});
  auto& n = b.node("BatchNormalization",
                   {"x", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"}, {"y"},
                   "/bn/BatchNormalization");
  setAttr(n, "epsilon", 1e-3f);
  b.output("y", {1, 3, 4, 4});
  Imported imported = importProto(b.model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  const Node* bn = findNode(imported.model->graph, "bn");
  REQUIRE(bn);
  CHECK(bn->op->name() == "BatchNorm2d");
  CHECK(bn->attrs.at("num_features") == Value::ofInt(3));
  CHECK(bn->attrs.at("eps") == Value::ofFloat(1e-3));
  CHECK(bn->attrs.at("momentum").asNumber() == doctest::Approx(0.1));
  const Tensor* tracked = imported.model->weights.find("bn.num_batches_tracked");
  REQUIRE(tracked);
  CHECK(tracked->dtype() == DType::Int64);
  CHECK(tracked->shape().empty());
}

/// The decomposition torch 1.13 writes for nn.LayerNorm below opset 17.
ModelBuilder decomposedLayerNorm() {
  ModelBuilder b;
  b.input("x", {2, 5, 4});
  b.weight("enc.norm1.weight", {4}, {1, 1, 1, 1});
  b.weight("enc.norm1.bias", {4});
  b.weight("two", {}, {2});
  b.weight("eps", {}, {1e-5f});
  setAttr(b.node("ReduceMean", {"x"}, {"m"}, "/enc/norm1/ReduceMean"), "axes",
          std::vector<int64_t>{-1});
  b.node("Sub", {"x", "m"}, {"c"}, "/enc/norm1/Sub");
  b.node("Pow", {"c", "two"}, {"p"}, "/enc/norm1/Pow");
  setAttr(b.node("ReduceMean", {"p"}, {"v"}, "/enc/norm1/ReduceMean_1"), "axes",
          std::vector<int64_t>{-1});
  b.node("Add", {"v", "eps"}, {"ve"}, "/enc/norm1/Add");
  b.node("Sqrt", {"ve"}, {"s"}, "/enc/norm1/Sqrt");
  b.node("Div", {"c", "s"}, {"n"}, "/enc/norm1/Div");
  b.node("Mul", {"n", "enc.norm1.weight"}, {"w"}, "/enc/norm1/Mul");
  b.node("Add", {"w", "enc.norm1.bias"}, {"y"}, "/enc/norm1/Add_1");
  b.output("y", {2, 5, 4});
  return b;
}

TEST_CASE("onnx import LayerNorm: the decomposed pattern becomes one LayerNorm") {
  Imported imported = importProto(decomposedLayerNorm().model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  CHECK(opHistogram(imported.model->graph) ==
        std::map<std::string, int>{{"Input", 1}, {"LayerNorm", 1}});
  const Node* norm = findNode(imported.model->graph, "enc.norm1");
  REQUIRE(norm);
  CHECK(norm->attrs.at("normalized_shape") == Value::ofInts({4}));
  CHECK(norm->attrs.at("eps") == Value::ofFloat(1e-5));
  CHECK(floatsOf(*imported.model, "enc.norm1.weight") == std::vector<float>{1, 1, 1, 1});
}

TEST_CASE("onnx import LayerNorm: a different exponent is not a LayerNorm") {
  ModelBuilder b = decomposedLayerNorm();
  b.graph().mutable_initializer(2)->set_float_data(0, 3);
  Imported imported = importProto(b.model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  CHECK_FALSE(opHistogram(imported.model->graph).count("LayerNorm"));
  CHECK(opHistogram(imported.model->graph).count("Mean"));
}

TEST_CASE("onnx import LayerNormalization (opset 17)") {
  ModelBuilder b(17);
  b.input("x", {2, 4});
  b.weight("ln.weight", {4});
  b.weight("ln.bias", {4});
  b.node("LayerNormalization", {"x", "ln.weight", "ln.bias"}, {"y"}, "/ln/LayerNormalization");
  b.output("y", {2, 4});
  Imported imported = importProto(b.model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  const Node* norm = findNode(imported.model->graph, "ln");
  REQUIRE(norm);
  CHECK(norm->op->name() == "LayerNorm");
}

}  // namespace
}  // namespace sketch::testing
