#include "import/raise_written.h"

#include <doctest/doctest.h>

#include "../core/temp_dir.h"
#include "onnx_import_support.h"

namespace sketch::testing {
namespace {

const char* const kSoftplusNet =
    "sketch net\n"
    "input x: float32[N, 4]\n"
    "fc = Linear(4, 3)\n"
    "act = Softplus(beta=2.0)\n"
    "x -> fc -> act\n"
    "output y = act\n";

TEST_CASE("onnx import: a block sketchc wrote comes back as its op, decomposed or not") {
  test::TempDir dir;
  std::string path = dir.file("net.onnx");
  writeOnnx(kSoftplusNet, path);
  // Softplus with beta is written as Mul, Softplus and Div.
  std::map<std::string, int> written;
  onnx::ModelProto model = readModel(path);
  for (const auto& n : model.graph().node()) written[n.op_type()]++;
  CHECK(written["Div"] == 1);
  CHECK(written["Softplus"] == 1);
  Imported imported = importFile(path);
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  CHECK(opHistogram(imported.model->graph) ==
        std::map<std::string, int>{{"Input", 1}, {"Linear", 1}, {"Softplus", 1}});
  const Node* act = findNode(imported.model->graph, "act");
  REQUIRE(act);
  CHECK(act->attrs.at("beta") == Value::ofFloat(2.0));
}

TEST_CASE("onnx import: a written block whose nodes were edited is read node by node") {
  test::TempDir dir;
  std::string path = dir.file("net.onnx");
  writeOnnx(kSoftplusNet, path);
  onnx::ModelProto model = readModel(path);
  // The Div now divides by another constant: the file no longer computes Softplus(beta=2).
  for (auto& init : *model.mutable_graph()->mutable_initializer()) {
    if (init.name().find("act/") != 0 || init.float_data_size() + init.raw_data().size() == 0)
      continue;
    float three = 3.0f;
    init.clear_float_data();
    init.set_raw_data(&three, sizeof three);
    break;
  }
  Imported imported = importProto(model);
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  CHECK(opHistogram(imported.model->graph).count("Softplus") == 1);
  CHECK(opHistogram(imported.model->graph).count("Mul") + opHistogram(imported.model->graph).count("Div") == 2);
  const Node* act = findNode(imported.model->graph, "act");
  CHECK((!act || act->op->name() != "Softplus" || act->attrs.at("beta") != Value::ofFloat(2.0)));
}

TEST_CASE("onnx import: parameters written in another layout are recovered") {
  test::TempDir dir;
  std::string path = dir.file("net.onnx");
  writeOnnx("sketch net\ninput x: float32[5, N, 3]\nrnn = LSTM(3, 4, num_layers=2)\n"
            "x -> rnn\noutput y = rnn.0\n",
            path);
  Imported imported = importFile(path);
  REQUIRE_MESSAGE(imported.model, imported.rendered());
  CHECK(opHistogram(imported.model->graph) ==
        std::map<std::string, int>{{"Input", 1}, {"LSTM", 1}});
  // The weights in PyTorch's layout equal the ones compiled in (seeded initialisation).
  SourceManager sketchSources;
  DiagnosticEngine diags(sketchSources);
  WeightStore seeded =
      bindWeights(paramRequests(imported.model->graph), nullptr, "", kDefaultSeed, diags);
  for (const auto& entry : seeded) {
    const std::string& name = entry.first;  // CAPTURE cannot take a structured binding
    const Tensor& tensor = entry.second;
    CAPTURE(name);
    const Tensor* got = imported.model->weights.find(name);
    REQUIRE(got);
    CHECK(got->byteSize() == tensor.byteSize());
    CHECK(std::memcmp(got->data(), tensor.data(), tensor.byteSize()) == 0);
  }
}

}  // namespace
}  // namespace sketch::testing
