#include <doctest/doctest.h>

#include <fstream>

#include "../core/temp_dir.h"
#include "onnx_import_support.h"

namespace sketch::testing {
namespace {

/// x -> Relu -> two custom ops and one standard op without a converter -> Add.
ModelBuilder unknownOps() {
  ModelBuilder b;
  auto* custom = b.model().add_opset_import();
  custom->set_domain("com.example");
  custom->set_version(1);
  b.input("x", {1, 4});
  b.node("Relu", {"x"}, {"r"}, "/relu/Relu");
  b.node("Frobnicate", {"r"}, {"a"}, "/f1/Frobnicate", "com.example");
  b.node("Frobnicate", {"a"}, {"c"}, "/f2/Frobnicate", "com.example");
  b.node("Hardmax", {"c"}, {"d"}, "/hm/Hardmax");
  b.output("d", {1, 4});
  // Custom ops have no ONNX shape inference: the model declares their types.
  for (const char* name : {"a", "c"}) {
    auto* v = b.graph().add_value_info();
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    t->mutable_shape()->add_dim()->set_dim_value(1);
    t->mutable_shape()->add_dim()->set_dim_value(4);
  }
  return b;
}

TEST_CASE("onnx import: every unsupported op is listed in one diagnostic") {
  Imported imported = importProto(unknownOps().model());
  CHECK_FALSE(imported.model);
  REQUIRE(imported.diags->diagnostics().size() == 1);
  CHECK(imported.rendered() ==
        "model.onnx: error: cannot import 3 nodes of 2 unsupported ops [unsupported-op]\n"
        "model.onnx: note: 'Frobnicate' of domain 'com.example' (no schema in opset 1): 2 nodes "
        "('/f1/Frobnicate', '/f2/Frobnicate')\n"
        "model.onnx: note: 'Hardmax' version 13: 1 node ('/hm/Hardmax')\n"
        "  help: --allow-unknown keeps them as opaque blocks\n");
}

TEST_CASE("onnx import: allowUnknown keeps unsupported ops as Opaque blocks") {
  ImportOptions options;
  options.allowUnknown = true;
  Imported imported = importProto(unknownOps().model(), options);
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  CHECK(opHistogram(imported.model->graph) ==
        std::map<std::string, int>{{"Input", 1}, {"Opaque", 3}, {"ReLU", 1}});
  const Node* f1 = findNode(imported.model->graph, "f1");
  REQUIRE(f1);
  CHECK(f1->attrs.at("op_type") == Value::ofString("Frobnicate"));
  CHECK(f1->attrs.at("domain") == Value::ofString("com.example"));
  CHECK(f1->attrs.at("outputs") == Value::ofList({Value::ofString("float32[1, 4]")}));
  CHECK(f1->outputs[0].shapeString() == "[1, 4]");
}

TEST_CASE("onnx import: nodes whose ports or attributes break their schema are reported") {
  ModelBuilder b;
  b.input("x", {1, 4});
  b.node("Relu", {"x"}, {}, "/relu/Relu");
  setAttr(b.node("Add", {"x"}, {"y"}, "/add/Add"), "alpha", 1.0f);
  b.output("y", {1, 4});
  Imported imported = importProto(b.model());
  CHECK_FALSE(imported.model);
  std::string text = imported.rendered();
  CHECK(text.find("model.onnx: error: Relu node '/relu/Relu': Node (/relu/Relu) has output size "
                  "0 not in range [min=1, max=1]") != std::string::npos);
  CHECK(text.find("model.onnx: error: Add node '/add/Add': ") != std::string::npos);
  CHECK(imported.diags->diagnostics().size() == 2);
}

TEST_CASE("onnx import: a weight shared through Identity keeps its second name") {
  ModelBuilder b;
  b.input("x", {1, 2});
  b.weight("a.weight", {3, 2});
  b.weight("a.bias", {3});
  b.node("Identity", {"a.bias"}, {"b.bias"}, "Identity_0");
  b.weight("b.weight", {3, 3});
  setAttr(b.node("Gemm", {"x", "a.weight", "a.bias"}, {"h"}, "/a/Gemm"), "transB", int64_t{1});
  setAttr(b.node("Gemm", {"h", "b.weight", "b.bias"}, {"y"}, "/b/Gemm"), "transB", int64_t{1});
  b.output("y", {1, 3});
  Imported imported = importProto(b.model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  CHECK(imported.model->weights.contains("a.bias"));
  CHECK(imported.model->weights.contains("b.bias"));
}

TEST_CASE("onnx import: models below opset 13 are upgraded first") {
  ModelBuilder b(9);
  b.input("x", {1, 3, 1, 1});
  setAttr(b.node("Squeeze", {"x"}, {"s"}, "/Squeeze"), "axes", std::vector<int64_t>{2, 3});
  b.node("Relu", {"s"}, {"y"}, "/act/Relu");
  b.output("y", {1, 3});
  Imported imported = importProto(b.model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  CHECK(imported.model->graph.nodes.back().outputs[0].shapeString() == "[1, 3]");
}

TEST_CASE("onnx import: opsets above 17 are reported, those below 13 upgraded") {
  for (int opset : {18, 0}) {
    ModelBuilder b(opset);
    b.input("x", {1});
    b.node("Relu", {"x"}, {"y"});
    b.output("y", {1});
    Imported imported = importProto(b.model());
    CHECK_FALSE(imported.model);
    CHECK(imported.rendered() ==
          "model.onnx: error: 'model.onnx' uses opset " + std::to_string(opset) +
              " of the standard domain, but the importer reads opsets 1 to 17 [unsupported-opset]\n");
  }
  ModelBuilder old(6);
  old.input("x", {1, 4});
  old.node("Relu", {"x"}, {"y"});
  old.output("y", {1, 4});
  Imported upgraded = importProto(old.model());
  REQUIRE_MESSAGE(upgraded.model, upgraded.rendered());
  CHECK(upgraded.model->graph.nodes.back().op->name() == "ReLU");
}

TEST_CASE("onnx import: weights in external data files") {
  test::TempDir dir;
  ModelBuilder b;
  b.input("x", {1, 2});
  b.weight("fc.weight", {2, 2});
  b.output("y", {1, 2});
  setAttr(b.node("Gemm", {"x", "fc.weight"}, {"y"}, "/fc/Gemm"), "transB", int64_t{1});
  auto* w = b.graph().mutable_initializer(0);
  w->clear_float_data();
  w->set_data_location(onnx::TensorProto::EXTERNAL);
  auto add = [&](const char* key, const std::string& value) {
    auto* e = w->add_external_data();
    e->set_key(key);
    e->set_value(value);
  };
  add("location", "weights.bin");
  add("offset", "4");
  add("length", "16");
  const float data[] = {0, 1, 2, 3, 4};  // the tensor starts after the first float
  std::ofstream(dir.path() + "/weights.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(data), sizeof data);
  std::ofstream(dir.path() + "/m.onnx", std::ios::binary) << b.model().SerializeAsString();
  Imported imported = importFile(dir.path() + "/m.onnx");
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  CHECK(floatsOf(*imported.model, "fc.weight") == std::vector<float>{1, 2, 3, 4});
}

}  // namespace
}  // namespace sketch::testing
