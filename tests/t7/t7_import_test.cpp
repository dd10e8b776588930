// Every vector model imports to a graph that passes shape inference, with the recorded
// output shape. The weights go to $build/t7/<model>.safetensors, where check_t7.py runs the
// forward pass in PyTorch and compares with the recorded outputs.
#include <filesystem>

#include "graph/infer_shapes.h"
#include "t7_kernel.h"
#include "t7_test_support.h"
#include "weights/safetensors.h"

using namespace sketch;
using namespace sketch::t7::testing;

namespace {

struct ModelCase {
  const char* file;
  const char* inputShape;
  std::vector<std::string> ops;  // the imported nodes in order, Input first
  const char* outputType;
};

const ModelCase kModels[] = {
    {"small_cnn.t7", "float32[1, 3, 32, 32]",
     {"Input", "Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d", "Flatten", "Linear"},
     "float32[1, 10]"},
    {"small_cnn_ascii.t7", "float32[1, 3, 32, 32]",
     {"Input", "Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d", "Flatten", "Linear"},
     "float32[1, 10]"},
    {"small_cnn_flatparams.t7", "float32[1, 3, 32, 32]",
     {"Input", "Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d", "Flatten", "Linear"},
     "float32[1, 10]"},
    {"small_cnn_double.t7", "float64[1, 3, 32, 32]",
     {"Input", "Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d", "Flatten", "Linear"},
     "float64[1, 10]"},
    {"mlp_logsoftmax.t7", "float32[4, 5]",
     {"Input", "Linear", "Tanh", "Dropout", "Linear", "LogSoftmax"}, "float32[4, 3]"},
    {"rnn_seqlstm.t7", "float32[5, 2, 3]", {"Input", "LSTM"}, "float32[5, 2, 4]"},
    {"rnn_seqgru.t7", "float32[5, 2, 3]", {"Input", "GRU"}, "float32[5, 2, 4]"},
};

std::optional<ImportedModel> importVector(const char* file, const std::string& inputShape,
                                          DiagnosticEngine& diags) {
  ImportOptions options;
  options.inputShape = inputShape;
  return makeT7Kernel()->importModel(vector(file), options, diags);
}

}  // namespace

TEST_CASE("t7 import: every vector model imports, checks, and keeps its weights") {
  std::string out = std::string(SKETCH_BINARY_DIR) + "/t7";
  std::filesystem::create_directories(out);
  for (const ModelCase& c : kModels) {
    CAPTURE(c.file);
    SourceManager sources;
    DiagnosticEngine diags(sources);
    std::optional<ImportedModel> model = importVector(c.file, c.inputShape, diags);
    for (const Diagnostic& d : diags.diagnostics())
      if (d.severity == Severity::Error) MESSAGE(d.message);
    REQUIRE(model);
    CHECK(!diags.hasErrors());
    std::vector<std::string> ops;
    for (const Node& n : model->graph.nodes) ops.push_back(n.op->name());
    CHECK(ops == c.ops);
    CHECK(inferShapes(model->graph, diags));
    CHECK(!diags.hasErrors());
    REQUIRE(model->graph.outputs.size() == 1);
    CHECK(model->graph.typeOf(model->graph.outputs[0].source).toString() == c.outputType);
    // Every parameter the ops declare is present with its declared shape.
    for (const Node& n : model->graph.nodes)
      for (const ParamSpec& p : n.params) {
        const Tensor* t = model->weights.find(n.path + "." + p.name);
        CAPTURE(n.path + "." + p.name);
        REQUIRE(t);
        CHECK(t->shape() == p.shape);
      }
    std::string name = std::filesystem::path(c.file).stem().string();
    std::string error;
    CHECK(writeSafetensors(model->weights, out + "/" + name + ".safetensors", &error));
  }
}

TEST_CASE("t7 import: paths follow PyTorch's Sequential numbering") {
  SourceManager sources;
  DiagnosticEngine diags(sources);
  std::optional<ImportedModel> model = importVector("small_cnn.t7", "float32[1, 3, 32, 32]", diags);
  REQUIRE(model);
  std::vector<std::string> keys;
  for (const auto& [key, tensor] : model->weights) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"0.weight", "0.bias", "1.weight", "1.bias",
                                         "1.running_mean", "1.running_var",
                                         "1.num_batches_tracked", "5.weight", "5.bias"});
  CHECK(model->graph.nodes[5].attrs.at("start_dim") == Value::ofInt(1));
}

TEST_CASE("t7 import: the input shape comes from the first layer when not given") {
  struct Case {
    const char* file;
    const char* type;
  };
  const Case cases[] = {{"mlp_logsoftmax.t7", "float32[N, 3]"},
                        {"rnn_seqlstm.t7", "float32[L, N, 4]"}};
  for (const Case& c : cases) {
    SourceManager sources;
    DiagnosticEngine diags(sources);
    std::optional<ImportedModel> model = importVector(c.file, "", diags);
    REQUIRE(model);
    CHECK(inferShapes(model->graph, diags));
    CHECK(model->graph.typeOf(model->graph.outputs[0].source).toString() == c.type);
  }
  // A convolution gives the channels only; height and width stay symbolic.
  SourceManager sources;
  DiagnosticEngine diags(sources);
  std::optional<ImportedModel> cnn = importVector("small_cnn.t7", "", diags);
  REQUIRE(cnn);
  CHECK(cnn->graph.nodes[0].attrs.at("shape").toString() == "(\"N\", 3, \"H\", \"W\")");
}

TEST_CASE("t7 import: SeqGRU is reported as approximate; nngraph and functions are refused") {
  SourceManager sources;
  DiagnosticEngine diags(sources);
  CHECK(importVector("rnn_seqgru.t7", "", diags));
  REQUIRE(diags.diagnostics().size() == 1);
  CHECK(diags.diagnostics()[0].severity == Severity::Warning);
  for (const char* file : {"python-torchfile/gmodule_with_linear_identity.t7",
                           "python-torchfile/function.t7"}) {
    DiagnosticEngine errors(sources);
    CHECK(!importVector(file, "", errors));
    CHECK(errors.hasErrors());
  }
}
