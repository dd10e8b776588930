#include <doctest/doctest.h>

#include "onnx_import_support.h"

namespace sketch::testing {
namespace {

/// Two stacked LSTM layers of hidden size 1 as torch writes them for batch_first=True.
ModelBuilder stackedLstm() {
  ModelBuilder b;
  b.input("x", {2, 5, 3});
  // Gate blocks in ONNX order i, o, f, c: block k of W is filled with k.
  b.weight("W0", {1, 4, 3}, {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3});
  b.weight("R0", {1, 4, 1}, {0, 1, 2, 3});
  b.weight("B0", {1, 8}, {0, 1, 2, 3, 10, 11, 12, 13});
  b.weight("W1", {1, 4, 1});
  b.weight("R1", {1, 4, 1});
  b.weight("B1", {1, 8});
  b.ints("axis1", {1});
  setAttr(b.node("Transpose", {"x"}, {"xt"}, "/lstm/Transpose"), "perm",
          std::vector<int64_t>{1, 0, 2});
  setAttr(b.node("LSTM", {"xt", "W0", "R0", "B0"}, {"y0", "h0", "c0"}, "/lstm/LSTM"), "hidden_size",
          int64_t{1});
  b.node("Squeeze", {"y0", "axis1"}, {"s0"}, "/lstm/Squeeze");
  setAttr(b.node("LSTM", {"s0", "W1", "R1", "B1"}, {"y1", "h1", "c1"}, "/lstm/LSTM_1"),
          "hidden_size", int64_t{1});
  b.node("Squeeze", {"y1", "axis1"}, {"s1"}, "/lstm/Squeeze_1");
  setAttr(b.node("Transpose", {"s1"}, {"y"}, "/lstm/Transpose_1"), "perm",
          std::vector<int64_t>{1, 0, 2});
  b.output("y", {2, 5, 1});
  return b;
}

TEST_CASE("onnx import LSTM: stacked layers and Transposes become one batch_first LSTM") {
  Imported imported = importProto(stackedLstm().model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  CHECK(opHistogram(imported.model->graph) ==
        std::map<std::string, int>{{"Input", 1}, {"LSTM", 1}});
  const Node* lstm = findNode(imported.model->graph, "lstm");
  REQUIRE(lstm);
  CHECK(lstm->attrs.at("num_layers") == Value::ofInt(2));
  CHECK(lstm->attrs.at("batch_first") == Value::ofBool(true));
  CHECK(lstm->attrs.at("input_size") == Value::ofInt(3));
  // PyTorch's order is i, f, g, o: ONNX blocks 0, 2, 3, 1.
  CHECK(floatsOf(*imported.model, "lstm.weight_ih_l0") ==
        std::vector<float>{0, 0, 0, 2, 2, 2, 3, 3, 3, 1, 1, 1});
  CHECK(floatsOf(*imported.model, "lstm.weight_hh_l0") == std::vector<float>{0, 2, 3, 1});
  CHECK(floatsOf(*imported.model, "lstm.bias_ih_l0") == std::vector<float>{0, 2, 3, 1});
  CHECK(floatsOf(*imported.model, "lstm.bias_hh_l0") == std::vector<float>{10, 12, 13, 11});
  CHECK(imported.model->weights.contains("lstm.weight_ih_l1"));
}

TEST_CASE("onnx import LSTM: reverse direction is reported") {
  ModelBuilder b = stackedLstm();
  auto* a = b.graph().mutable_node(1)->add_attribute();
  a->set_name("direction");
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s("reverse");
  Imported imported = importProto(b.model());
  CHECK_FALSE(imported.model);
  CHECK(imported.rendered().find(
            "LSTM node '/lstm/LSTM': direction reverse has no PyTorch counterpart") !=
        std::string::npos);
}

TEST_CASE("onnx import LSTM: a layer without outputs is dropped") {
  // Every output of an LSTM is optional, so a node with none is valid ONNX.
  ModelBuilder b;
  b.input("x", {5, 2, 3});
  b.weight("W", {1, 4, 3});
  b.weight("R", {1, 4, 1});
  setAttr(b.node("LSTM", {"x", "W", "R"}, {}, "/lstm/LSTM"), "hidden_size", int64_t{1});
  b.node("Relu", {"x"}, {"y"}, "/relu/Relu");
  b.output("y", {5, 2, 3});
  Imported imported = importProto(b.model());
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  CHECK(opHistogram(imported.model->graph) ==
        std::map<std::string, int>{{"Input", 1}, {"ReLU", 1}});
}

}  // namespace
}  // namespace sketch::testing
