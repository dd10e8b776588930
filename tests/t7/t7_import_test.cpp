// Every vector model imports to a graph that passes shape inference, with the recorded
// output shape. The weights go to $build/t7/<model>.safetensors, where check_t7.py runs the
// forward pass in PyTorch and compares with the recorded outputs.
#include <cstring>
#include <filesystem>

#include "../core/temp_dir.h"
#include "graph/infer_shapes.h"
#include "t7_kernel.h"
#include "t7_test_support.h"
#include "t7_writer.h"
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
    {"small_cnn.t7",
     "float32[1, 3, 32, 32]",
     {"Input", "Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d", "Flatten", "Linear"},
     "float32[1, 10]"},
    {"small_cnn_ascii.t7",
     "float32[1, 3, 32, 32]",
     {"Input", "Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d", "Flatten", "Linear"},
     "float32[1, 10]"},
    {"small_cnn_flatparams.t7",
     "float32[1, 3, 32, 32]",
     {"Input", "Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d", "Flatten", "Linear"},
     "float32[1, 10]"},
    {"small_cnn_double.t7",
     "float64[1, 3, 32, 32]",
     {"Input", "Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d", "Flatten", "Linear"},
     "float64[1, 10]"},
    {"mlp_logsoftmax.t7",
     "float32[4, 5]",
     {"Input", "Linear", "Tanh", "Dropout", "Linear", "LogSoftmax"},
     "float32[4, 3]"},
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
                                         "1.running_mean", "1.running_var", "1.num_batches_tracked",
                                         "5.weight", "5.bias"});
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
  for (const char* file :
       {"python-torchfile/gmodule_with_linear_identity.t7", "python-torchfile/function.t7"}) {
    DiagnosticEngine errors(sources);
    CHECK(!importVector(file, "", errors));
    CHECK(errors.hasErrors());
  }
}

namespace {

using t7::Document;
using t7::Object;

Object* numbers(Document& doc, const char* className,
                const std::vector<std::pair<const char*, double>>& fields, int version = 1) {
  Object* m = doc.instance(className, version);
  for (const auto& [key, value] : fields) doc.set(m, key, doc.number(value));
  return m;
}

Object* container(Document& doc, const char* className, const std::vector<Object*>& children) {
  Object* m = doc.instance(className);
  Object* modules = doc.table();
  for (size_t i = 0; i < children.size(); ++i) doc.set(modules, double(i + 1), children[i]);
  doc.set(m, "modules", modules);
  return m;
}

template <typename T>
Object* storageOf(Document& doc, DType dtype, const std::vector<T>& values) {
  Tensor elements = *Tensor::zeros(dtype, {static_cast<int64_t>(values.size())});
  std::memcpy(elements.mutableData(), values.data(), elements.byteSize());
  return doc.storage(elements);
}

Object* floats(Document& doc, std::vector<int64_t> sizes, std::vector<float> values) {
  return doc.tensor(DType::Float32, std::move(sizes), storageOf(doc, DType::Float32, values));
}

Object* longStorage(Document& doc, std::vector<int64_t> values) {
  return storageOf(doc, DType::Int64, values);
}

}  // namespace

TEST_CASE("t7 import: table containers, padding, narrowing, reshaping and legacy layouts") {
  Document doc;
  // Old files: a 2-D convolution weight [nOut, nIn*kH*kW] and BatchNormalization V 1 with
  // running_std = 1/sqrt(var + eps).
  Object* conv = numbers(doc, "nn.SpatialConvolution",
                         {{"nInputPlane", 1}, {"nOutputPlane", 2}, {"kW", 1}, {"kH", 1}});
  doc.set(conv, "weight", floats(doc, {2, 1}, {1, 2}));
  Object* bn = numbers(doc, "nn.SpatialBatchNormalization", {{"eps", 0.25}}, 1);
  doc.set(bn, "running_mean", floats(doc, {2}, {0, 0}));
  doc.set(bn, "running_std", floats(doc, {2}, {1, 0.5}));
  Object* pad = numbers(doc, "nn.SpatialZeroPadding",
                        {{"pad_l", 1}, {"pad_r", 1}, {"pad_t", 2}, {"pad_b", 0}});
  Object* narrow = numbers(doc, "nn.Narrow", {{"dimension", 3}, {"index", 2}, {"length", 4}});
  Object* fork =
      container(doc, "nn.ConcatTable", {doc.instance("nn.Identity"), doc.instance("nn.Identity")});
  Object* parallel =
      container(doc, "nn.ParallelTable", {doc.instance("nn.Tanh"), doc.instance("nn.Sigmoid")});
  Object* join = numbers(doc, "nn.JoinTable", {{"dimension", 1}, {"nInputDims", 3}});
  Object* reshape = numbers(doc, "nn.Reshape", {{"nelement", 4 * 4 * 6}});
  doc.set(reshape, "size", longStorage(doc, {4, 24}));
  Object* depth =
      container(doc, "nn.DepthConcat", {doc.instance("nn.Identity"), doc.instance("nn.ReLU")});
  doc.set(depth, "dimension", doc.number(2));
  doc.root = container(doc, "nn.Sequential",
                       {conv, bn, pad, narrow, fork, parallel, join, reshape, depth});
  test::TempDir dir;
  std::string path = dir.file("legacy.t7");
  std::string bytes;
  t7::writeT7(doc, t7::Format::Binary, [&](std::string_view b) {
    bytes.append(b);
    return true;
  });
  test::writeFile(path, bytes);

  SourceManager sources;
  DiagnosticEngine diags(sources);
  ImportOptions options;
  options.inputShape = "float32[N, 1, 4, 4]";
  std::optional<ImportedModel> model = makeT7Kernel()->importModel(path, options, diags);
  for (const Diagnostic& d : diags.diagnostics()) MESSAGE(d.message);
  REQUIRE(model);
  REQUIRE(inferShapes(model->graph, diags));
  std::vector<std::string> ops;
  for (const Node& n : model->graph.nodes) ops.push_back(n.op->name());
  CHECK(ops == std::vector<std::string>{"Input", "Conv2d", "BatchNorm2d", "ZeroPad2d", "Slice",
                                        "Identity", "Identity", "Tanh", "Sigmoid", "Concat",
                                        "Reshape", "Identity", "ReLU", "Concat"});
  CHECK(model->graph.typeOf(model->graph.outputs[0].source).toString() == "float32[N, 8, 24]");
  CHECK(model->weights.find("0.weight")->shape() == std::vector<int64_t>{2, 1, 1, 1});
  std::vector<double> var =
      values(*fromTensor(doc, *model->weights.find("1.running_var"), DType::Float64));
  CHECK(var == std::vector<double>{0.75, 3.75});
  CHECK(model->graph.nodes[9].attrs.at("dim") == Value::ofInt(-3));  // JoinTable(1, 3)
  CHECK(model->graph.nodes[4].attrs.at("start") == Value::ofInt(1));
  CHECK(model->graph.nodes[4].attrs.at("end") == Value::ofInt(5));
}

TEST_CASE("t7 import: input shapes it cannot use, and classes without a converter") {
  struct Case {
    const char* firstClass;
    const char* inputShape;
    const char* error;
  };
  const Case cases[] = {
      {"nn.ReLU", "",
       "the input shape cannot be derived from 'nn.ReLU'; give it, e.g. float32[N, 3, 32, 32]"},
      {"nn.ReLU", "float32[N, 3",
       "input shape 'float32[N, 3' is not of the form float32[N, 3, 32, 32]"},
      {"nn.ReLU", "floaty[N]", "input shape 'floaty[N]' is not of the form float32[N, 3, 32, 32]"},
      {"nn.Threshold", "float32[N, 3]", "unknown Torch class 'nn.Threshold' at byte 83"},
  };
  test::TempDir dir;
  for (const Case& c : cases) {
    CAPTURE(c.inputShape);
    Document doc;
    Object* first = doc.instance(c.firstClass);
    doc.set(first, "threshold", doc.number(0));
    doc.set(first, "val", doc.number(0));
    doc.root = container(doc, "nn.Sequential", {first});
    std::string bytes;
    t7::writeT7(doc, t7::Format::Binary, [&](std::string_view b) {
      bytes.append(b);
      return true;
    });
    test::writeFile(dir.file("m.t7"), bytes);
    SourceManager sources;
    DiagnosticEngine diags(sources);
    ImportOptions options;
    options.inputShape = c.inputShape;
    CHECK(!makeT7Kernel()->importModel(dir.file("m.t7"), options, diags));
    REQUIRE(diags.diagnostics().size() == 1);
    INFO(diags.diagnostics()[0].message);
    CHECK(diags.diagnostics()[0].message.find(c.error) != std::string::npos);
  }
}
