// Stage `load`: parsing leaves large initializers in the input bytes, and what it parses is
// the model protobuf itself would read.
#include <doctest/doctest.h>

#include <cstring>

#include "onnx_import_support.h"

namespace sketch::testing {
namespace {

/// A float32 initializer stored as raw data (as torch.onnx.export writes them).
void rawWeight(ModelBuilder& b, const std::string& name, const std::vector<int64_t>& dims) {
  b.weight(name, dims);
  auto& t = *b.graph().mutable_initializer(b.graph().initializer_size() - 1);
  std::string raw(static_cast<size_t>(t.float_data_size()) * 4, '\0');
  std::memcpy(raw.data(), t.float_data().data(), raw.size());
  t.clear_float_data();
  t.set_raw_data(raw);
}

/// x[1, 64] -> Gemm(64x64 weight of 16 KB, 64-element bias of 256 bytes).
ModelBuilder linearModel(int opset) {
  ModelBuilder b(opset);
  b.input("x", {1, 64});
  rawWeight(b, "fc.weight", {64, 64});
  rawWeight(b, "fc.bias", {64});
  setAttr(b.node("Gemm", {"x", "fc.weight", "fc.bias"}, {"y"}, "/fc/Gemm"), "transB", int64_t{1});
  b.output("y", {1, 64});
  return b;
}

bool inside(std::string_view part, const std::string& whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

TEST_CASE("onnx load: large raw data stays in the input, small raw data is parsed") {
  std::string bytes = linearModel(13).model().SerializeAsString();
  auto file = onnx_import::parseOnnx(bytes, nullptr);
  REQUIRE(file);
  const auto& initializers = file->model->graph().initializer();
  REQUIRE(initializers.size() == 2);
  REQUIRE(file->rawData.size() == 2);
  CHECK(initializers[0].raw_data().empty());
  CHECK(file->rawData[0].size() == 64 * 64 * 4);
  CHECK(inside(file->rawData[0], bytes));
  CHECK(initializers[1].raw_data().size() == 64 * 4);
  CHECK(file->rawData[1].empty());

  // With the viewed bytes put back, the model is exactly what protobuf parses.
  onnx::ModelProto whole = *file->model;
  whole.mutable_graph()->mutable_initializer(0)->set_raw_data(std::string(file->rawData[0]));
  CHECK(whole.SerializeAsString() == bytes);

  Imported imported = importParsed(std::move(*file));
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  std::vector<float> weight = floatsOf(*imported.model, "fc.weight");
  REQUIRE(weight.size() == 64 * 64);
  CHECK(weight[4095] == 4095.0f);
  CHECK(floatsOf(*imported.model, "fc.bias")[63] == 63.0f);
}

TEST_CASE("onnx load: models below opset 13 get their viewed weights back for the upgrade") {
  std::string bytes = linearModel(9).model().SerializeAsString();
  auto file = onnx_import::parseOnnx(bytes, nullptr);
  REQUIRE(file);
  REQUIRE(!file->rawData[0].empty());
  Imported imported = importParsed(std::move(*file));
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  std::vector<float> weight = floatsOf(*imported.model, "fc.weight");
  REQUIRE(weight.size() == 64 * 64);
  CHECK(weight[1234] == 1234.0f);
}

TEST_CASE("onnx load: bytes that are not protobuf are refused") {
  std::string bytes = linearModel(13).model().SerializeAsString();
  CHECK_FALSE(onnx_import::parseOnnx(bytes.substr(0, bytes.size() - 7), nullptr));
  CHECK_FALSE(onnx_import::parseOnnx(bytes.substr(0, bytes.size() / 2), nullptr));
  CHECK_FALSE(onnx_import::parseOnnx(std::string("\x0f\x00\x00", 3), nullptr));  // wire type 7
  CHECK_FALSE(onnx_import::parseOnnx(std::string("\x3a\xff\xff\xff\xff\x0f", 6), nullptr));
  CHECK(onnx_import::parseOnnx("", nullptr));  // an empty message; readOnnxFile refuses it
}

TEST_CASE("onnx load: concatenated models merge, as protobuf merges them") {
  std::string bytes = linearModel(13).model().SerializeAsString();
  // The second graph merges into the first: its initializer is added.
  ModelBuilder extra(13);
  rawWeight(extra, "extra.weight", {32, 32});
  std::string appended = bytes + extra.model().SerializeAsString();
  auto file = onnx_import::parseOnnx(appended, nullptr);
  REQUIRE(file);
  onnx::ModelProto reference;
  REQUIRE(reference.ParseFromString(appended));
  REQUIRE(file->model->graph().initializer_size() == reference.graph().initializer_size());
  CHECK(file->model->graph().initializer(2).name() == "extra.weight");
  CHECK(file->rawData[2] == reference.graph().initializer(2).raw_data());
}

}  // namespace
}  // namespace sketch::testing
