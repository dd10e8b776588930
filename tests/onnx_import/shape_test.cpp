#include <doctest/doctest.h>

#include "onnx_import_support.h"

namespace sketch::testing {
namespace {

/// x -> Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1])): torch's x.view(x.size(0), -1).
ModelBuilder viewAsFlatten() {
  ModelBuilder b;
  b.input("x", {2, 3, 4, 4});
  b.ints("zero", {0});
  b.ints("minus_one", {-1});
  b.node("Shape", {"x"}, {"s"});
  auto& index = *b.graph().add_initializer();
  index.set_name("i0");
  index.set_data_type(onnx::TensorProto::INT64);
  index.add_int64_data(0);
  b.node("Gather", {"s", "i0"}, {"n"});
  b.node("Unsqueeze", {"n", "zero"}, {"n1"});
  setAttr(b.node("Concat", {"n1", "minus_one"}, {"shape"}), "axis", int64_t{0});
  b.node("Reshape", {"x", "shape"}, {"y"}, "/Reshape");
  b.output("y", {2, 48});
  return b;
}

TEST_CASE("onnx import Reshape: folded shape arithmetic, recognised as Flatten") {
  Imported imported = importProto(viewAsFlatten().model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  CHECK(opHistogram(imported.model->graph) ==
        std::map<std::string, int>{{"Input", 1}, {"Flatten", 1}});
  CHECK(imported.model->graph.nodes.back().path == "flatten");
}

TEST_CASE("onnx import Reshape: other shapes stay Reshape") {
  ModelBuilder b;
  b.input("x", {2, 12});
  b.ints("shape", {2, 3, 4});
  b.node("Reshape", {"x", "shape"}, {"y"});
  b.output("y", {2, 3, 4});
  Imported imported = importProto(b.model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  const Node& node = imported.model->graph.nodes.back();
  CHECK(node.op->name() == "Reshape");
  CHECK(node.attrs.at("shape") == Value::ofInts({2, 3, 4}));
}

TEST_CASE("onnx import Transpose: a swap is Transpose, other orders Permute") {
  struct Case {
    std::vector<int64_t> perm;
    const char* op;
  };
  const Case cases[] = {{{1, 0, 2}, "Transpose"}, {{1, 2, 0}, "Permute"}};
  for (const Case& c : cases) {
    CAPTURE(c.op);
    ModelBuilder b;
    b.input("x", {2, 3, 4});
    setAttr(b.node("Transpose", {"x"}, {"y"}), "perm", c.perm);
    b.output("y", {});
    Imported imported = importProto(b.model());
    REQUIRE_MESSAGE(imported.model, imported.rendered());
    CHECK(imported.model->graph.nodes.back().op->name() == c.op);
  }
}

TEST_CASE("onnx import Slice: INT64_MAX end is an open end") {
  ModelBuilder b;
  b.input("x", {2, 6});
  b.ints("starts", {2});
  b.ints("ends", {INT64_MAX});
  b.ints("axes", {1});
  b.node("Slice", {"x", "starts", "ends", "axes"}, {"y"});
  b.output("y", {2, 4});
  Imported imported = importProto(b.model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  const Node& node = imported.model->graph.nodes.back();
  CHECK(node.op->name() == "Slice");
  CHECK(node.attrs.at("end").isNone());
  CHECK(node.outputs[0].shapeString() == "[2, 4]");
}

TEST_CASE("onnx import Gather: a weight table is an Embedding") {
  ModelBuilder b;
  b.input("tokens", {2, 7}, onnx::TensorProto::INT64);
  b.weight("emb.weight", {10, 4});
  b.node("Gather", {"emb.weight", "tokens"}, {"y"}, "/emb/Gather");
  b.output("y", {2, 7, 4});
  Imported imported = importProto(b.model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  const Node* emb = findNode(imported.model->graph, "emb");
  REQUIRE(emb);
  CHECK(emb->op->name() == "Embedding");
  CHECK(emb->attrs.at("num_embeddings") == Value::ofInt(10));
}

}  // namespace
}  // namespace sketch::testing
