// The ONNX exporter in-process: the op table covers the catalogue, attribute checks, byte
// determinism, the unsupported-op listing, external data and no partial files on failure.
// Numerical equivalence with PyTorch is checked against ONNX Runtime in tests/onnx/.
#include <doctest/doctest.h>
#include <onnx/onnx_pb.h>

#include <filesystem>

#include "../core/temp_dir.h"
#include "driver/model_weights.h"
#include "driver/pipeline.h"
#include "onnx_ops.h"
#include "onnx_kernel.h"
#include "ops/catalogue.h"

using namespace sketch;
using sketch::test::TempDir;

namespace {

/// A checked graph with seeded weights from sketch text.
struct Compiled {
  SourceManager sources;
  DiagnosticEngine diags{sources};
  std::optional<CheckedSketch> checked;
  WeightStore weights;

  explicit Compiled(const std::string& text) {
    MemoryFileSystem fs;
    fs.add("net.sketch", text);
    checked = checkSketch("net.sketch", fs, sources, diags);
    REQUIRE(checked);
    REQUIRE_FALSE(diags.hasErrors());
    DiagnosticEngine seeded{sources};  // initialised on purpose: its warning is not checked
    weights = bindWeights(paramRequests(checked->graph), nullptr, "", kDefaultSeed, seeded);
  }
  const Node& node(const std::string& path) const {
    for (const Node& n : checked->graph.nodes)
      if (n.path == path) return n;
    FAIL("no node " << path);
    return checked->graph.nodes[0];
  }
  bool exportTo(const std::string& path, int opset = 17, bool external = false) {
    ExportOptions options;
    options.outputPath = path;
    options.kernelOptions["opset"] = Value::ofInt(opset);
    options.kernelOptions["external-data"] = Value::ofBool(external);
    return exportOnnx(checked->graph, weights, options, diags);
  }
  std::string messages() const {
    std::string all;
    for (const Diagnostic& d : diags.diagnostics()) all += d.message + "\n";
    return all;
  }
};

const char* kSmallNet = R"(sketch small
input x: float32[N, 3, 8, 8]
conv = Conv2d(3, 4, 3, padding=1)
bn = BatchNorm2d()
relu = ReLU()
pool = AdaptiveAvgPool2d(1)
flat = Flatten()
fc = Linear(4, 2)
x -> conv -> bn -> relu -> pool -> flat -> fc
output logits = fc
)";

// Two Linear layers: with external data their weights (16 KB, 2 KB) leave the model and
// their biases (256 and 32 bytes) stay inline.
const char* const kTwoLinears = R"(sketch t
input x: float32[N, 64]
fc1 = Linear(64, 64)
fc2 = Linear(64, 8)
x -> fc1 -> fc2
output y = fc2
)";

onnx::ModelProto load(const std::string& path) {
  onnx::ModelProto model;
  REQUIRE(model.ParseFromString(sketch::test::readFile(path)));
  return model;
}

}  // namespace

TEST_CASE("every catalogue op has an entry in the ONNX op table") {
  for (const std::string& name : catalogue().names()) {
    CAPTURE(name);
    // Foreign ops (Opaque) are an importer's record of what it could not read; no kernel
    // writes them. Graph inputs are written by the exporter itself.
    const std::string& category = catalogue().find(name)->category();
    if (category == "foreign" || category == "input") continue;
    CHECK(onnxOps().writer(name) != nullptr);
  }
  CHECK(onnxOps().writer("NoSuchOp") == nullptr);
}

TEST_CASE("the ONNX op table checks attribute values ONNX cannot express") {
  struct Case {
    const char* call;
    const char* input;
    bool supported;
  };
  const Case cases[] = {
      {"LSTM(4, 8)", "float32[5, N, 4]", true},
      {"LSTM(4, 8, proj_size=2)", "float32[5, N, 4]", false},
      {"Upsample(scale_factor=2.0)", "float32[N, 4, 5, 6]", true},
      {"Upsample(size=(2, 3), mode='area')", "float32[N, 4, 5, 6]", true},
      {"MaxPool2d(2)", "float32[N, 4, 6, 6]", true},
      {"MaxPool2d(2, return_indices=True)", "float32[N, 4, 6, 6]", true},
      {"AdaptiveMaxPool2d(2, return_indices=True)", "float32[N, 4, 6, 6]", false},
      {"Conv2d(4, 4, 3, padding_mode='circular', padding=1)", "float32[N, 4, 6, 6]", true},
      {"BatchNorm2d(4, track_running_stats=False)", "float32[N, 4, 6, 6]", true},
      {"AvgPool2d(2, divisor_override=3)", "float32[N, 4, 6, 6]", true},
      {"Embedding(10, 3, max_norm=1.0)", "int64[N, 5]", true},
      {"MultiheadAttention(4, 2, add_bias_kv=True)", "float32[5, N, 4]", true},
  };
  for (const Case& c : cases) {
    CAPTURE(c.call);
    Compiled m(std::string("sketch t\ninput x: ") + c.input + "\nop = " + c.call +
               "\nx -> op\noutput y = op.0\n");
    CHECK(onnxOps().supports(m.node("op")) == c.supported);
  }
}

TEST_CASE("ONNX export is byte-identical when repeated") {
  TempDir dir;
  Compiled m(kSmallNet);
  REQUIRE(m.exportTo(dir.file("a.onnx")));
  REQUIRE(m.exportTo(dir.file("b.onnx")));
  CHECK(sketch::test::readFile(dir.file("a.onnx")) == sketch::test::readFile(dir.file("b.onnx")));
}

TEST_CASE("ONNX export keeps names, the symbolic batch dim and inferred shapes") {
  TempDir dir;
  Compiled m(kSmallNet);
  REQUIRE(m.exportTo(dir.file("m.onnx"), 13));
  onnx::ModelProto model = load(dir.file("m.onnx"));
  CHECK(model.ir_version() == 7);
  CHECK(model.opset_import(0).version() == 13);
  const onnx::GraphProto& g = model.graph();
  REQUIRE(g.input_size() == 1);
  CHECK(g.input(0).name() == "x");
  CHECK(g.input(0).type().tensor_type().shape().dim(0).dim_param() == "N");
  REQUIRE(g.output_size() == 1);
  CHECK(g.output(0).name() == "logits");
  std::set<std::string> initializers, nodes, shapes;
  for (const auto& t : g.initializer()) initializers.insert(t.name());
  for (const auto& n : g.node()) nodes.insert(n.name());
  for (const auto& v : g.value_info()) shapes.insert(v.name());
  for (const char* name :
       {"conv.weight", "conv.bias", "bn.running_mean", "bn.running_var", "fc.weight", "fc.bias"})
    CHECK(initializers.count(name));
  for (const char* name : {"conv", "bn", "relu", "pool", "flat", "fc"}) {
    CAPTURE(name);
    CHECK(nodes.count(name));
    CHECK(shapes.count(name));
  }
}

TEST_CASE("opsets outside 13-17 are refused before anything is written") {
  TempDir dir;
  Compiled m(kSmallNet);
  CHECK_FALSE(m.exportTo(dir.file("m.onnx"), 18));
  CHECK(m.messages() == "opset 18 is not supported; use 13 to 17\n");
  CHECK_FALSE(std::filesystem::exists(dir.file("m.onnx")));
}

TEST_CASE("the kernel lists every unsupported node before writing") {
  Compiled m(R"(sketch t
input x: float32[N, 4, 6, 6]
input s: float32[5, N, 6]
a = AdaptiveMaxPool2d(2, return_indices=True)
b = LSTM(6, 8, proj_size=4)
c = ReLU()
x -> a
s -> b
x -> c
output y = c
output p = a.output
output q = b.output
)");
  std::unique_ptr<Kernel> kernel = makeOnnxKernel();
  CHECK(reportUnsupported(*kernel, m.checked->graph, m.diags) == 2);
  CHECK(m.messages() ==
        "the onnx kernel cannot express AdaptiveMaxPool2d 'a'\n"
        "the onnx kernel cannot express LSTM 'b'\n");
}

TEST_CASE("a node an emitter cannot express leaves no file, not even a partial one") {
  TempDir dir;
  std::string path = dir.file("m.onnx");
  sketch::test::writeFile(path, "previous");
  Compiled m(R"(sketch t
input a: int64[N, 4]
input b: int64[N, 4]
div = Div(rounding_mode='floor')
(a, b) -> div
output y = div
)");
  CHECK_FALSE(m.exportTo(path));
  CHECK(m.messages() ==
        "the onnx kernel cannot express Div 'div', which divides integers with rounding_mode "
        "'floor' (ONNX's Div truncates)\n");
  CHECK(sketch::test::readFile(path) == "previous");
  CHECK(std::filesystem::directory_iterator(dir.path()) != std::filesystem::directory_iterator());
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) files += entry.exists();
  CHECK(files == 1);
}

TEST_CASE("external data goes to <out>.data at aligned offsets") {
  TempDir dir;
  Compiled m(kTwoLinears);
  REQUIRE(m.exportTo(dir.file("m.onnx"), 17, true));
  onnx::ModelProto model = load(dir.file("m.onnx"));
  size_t external = 0;
  for (const onnx::TensorProto& t : model.graph().initializer()) {
    if (t.data_location() != onnx::TensorProto::EXTERNAL) continue;
    ++external;
    std::map<std::string, std::string> entries;
    for (const auto& e : t.external_data()) entries[e.key()] = e.value();
    CHECK(entries["location"] == "m.onnx.data");
    CHECK(std::stoull(entries["offset"]) % 4096 == 0);
  }
  CHECK(external == 2);  // the two weights; the biases are small enough to stay inline
  CHECK(std::filesystem::exists(dir.file("m.onnx.data")));
}

TEST_CASE("streamed weights: the file is protobuf's own encoding, with every weight's bytes") {
  TempDir dir;
  Compiled m(kTwoLinears);
  REQUIRE(m.exportTo(dir.file("m.onnx")));
  std::string bytes = sketch::test::readFile(dir.file("m.onnx"));
  onnx::ModelProto model = load(dir.file("m.onnx"));
  // Written part by part, the file must still be what one SerializeToString gives.
  CHECK(model.SerializeAsString() == bytes);
  REQUIRE(model.graph().initializer_size() == 4);
  for (const onnx::TensorProto& t : model.graph().initializer()) {
    CAPTURE(t.name());
    const Tensor* weight = m.weights.find(t.name());
    REQUIRE(weight);
    CHECK(t.raw_data() ==
          std::string(reinterpret_cast<const char*>(weight->data()), weight->byteSize()));
  }
}
