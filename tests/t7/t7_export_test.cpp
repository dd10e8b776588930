// The writer against real Torch7 files: small_cnn.sketch compiled with the weights of
// small_cnn.t7 (extracted by the importer) must hold, field by field, what Lua Torch wrote.
// Then the arrangement of branching graphs, and refusals that write nothing.
#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include <sys/stat.h>

#include "../core/temp_dir.h"
#include "driver/commands.h"
#include "graph/infer_shapes.h"
#include "lua_stand_in.h"
#include "t7_kernel.h"
#include "t7_ops.h"
#include "t7_test_support.h"
#include "weights/safetensors.h"

using namespace sketch;
using namespace sketch::t7;
using namespace sketch::t7::testing;

namespace {

std::string source(const std::string& name) {
  return std::string(SKETCH_SOURCE_DIR) + "/tests/t7/" + name;
}

ReadOptions nnClasses() {
  ReadOptions o;
  o.acceptClass = [](const std::string& c) { return c.rfind("nn.", 0) == 0; };
  return o;
}

/// Compiles `sketch` to `out` with the t7 kernel; returns the exit code, stderr in `err`.
int compile(const std::string& sketch, const std::string& out, const std::string& weights,
            std::string* err, bool ascii = false, DType dtype = DType::Float32) {
  KernelRegistry kernels;
  kernels.add(makeT7Kernel());
  std::ostringstream o, e;
  CommandIO io{o, e};
  io.color = "never";
  io.kernels = &kernels;
  CompileOptions options;
  options.path = sketch;
  options.weights = weights;
  options.exportOptions.outputPath = out;
  options.exportOptions.kernelOptions = {{"ascii", Value::ofBool(ascii)},
                                         {"dtype", Value::ofString(dtypeName(dtype))},
                                         {"emit-lua", Value::ofBool(true)}};
  int code = runCompile(options, io);
  *err = e.str();
  return code;
}

/// The weights of a vector model under the sketch's paths (`prefix` + `0.weight`).
std::string extractWeights(const char* file, const std::string& dir,
                           const std::string& prefix = "net.") {
  SourceManager sources;
  DiagnosticEngine diags(sources);
  std::optional<ImportedModel> model = makeT7Kernel()->importModel(vector(file), {}, diags);
  REQUIRE(model);
  WeightStore renamed;
  for (const auto& [key, tensor] : model->weights) renamed.insert(prefix + key, tensor);
  std::string path = dir + "/" + std::filesystem::path(file).stem().string() + ".safetensors";
  std::string error;
  REQUIRE(writeSafetensors(renamed, path, &error));
  return path;
}

/// The field names of `module`, without those sketchc adds (t7_ops.h), which Lua Torch
/// ignores and its own files lack.
std::vector<std::string> fieldNames(const Object& module) {
  static const std::set<std::string> added = {kNameField, kInputTypeField, kInputNameField,
                                              kOutputNameField};
  std::vector<std::string> names;
  for (const TableEntry& e : module.fields->entries)
    if (!added.count(e.key->string)) names.push_back(e.key->string);
  std::sort(names.begin(), names.end());
  return names;
}

/// Compares two objects field by field (tables by key, tensors by class, sizes, values).
/// `afterForward`: `want` was saved after a forward pass without clearState, so the state
/// tensors it holds are compared by class only.
void compareObjects(const Object& want, const Object& got, const std::string& where,
                    bool afterForward = false) {
  static const std::set<std::string> state = {"output", "gradInput", "indices"};
  CAPTURE(where);
  REQUIRE(want.kind == got.kind);
  CHECK(want.className == got.className);
  CHECK(want.version == got.version);
  switch (want.kind) {
    case Object::Kind::Number:
      CHECK(want.number == got.number);
      return;
    case Object::Kind::Boolean:
      CHECK(want.boolean == got.boolean);
      return;
    case Object::Kind::String:
      CHECK(want.string == got.string);
      return;
    case Object::Kind::Tensor:
      CHECK(want.sizes == got.sizes);
      CHECK(values(want) == values(got));
      return;
    case Object::Kind::Storage:
      CHECK(bytesOf(want.elements) == bytesOf(got.elements));
      return;
    case Object::Kind::Instance:
      CHECK(fieldNames(want) == fieldNames(got));
      for (const TableEntry& e : want.fields->entries) {
        const Object* other = got.get(e.key->string);
        if (!other) continue;
        // Lua allocates gradient buffers without clearing them: the real files hold
        // whatever memory held (even nan), so only their type and sizes are compared.
        bool tensor = e.value->kind == Object::Kind::Tensor;
        if (tensor && afterForward && state.count(e.key->string)) {
          CHECK(e.value->className == other->className);
          continue;
        }
        if (e.key->string.rfind("grad", 0) == 0 && tensor) {
          CHECK(e.value->className == other->className);
          CHECK(e.value->sizes == other->sizes);
          continue;
        }
        compareObjects(*e.value, *other, where + "." + e.key->string, afterForward);
      }
      return;
    case Object::Kind::Table:
      CHECK(want.entries.size() == got.entries.size());
      for (const TableEntry& e : want.entries) {
        const Object* other =
            e.key->kind == Object::Kind::Number ? got.at(e.key->number) : got.get(e.key->string);
        REQUIRE(other);
        compareObjects(*e.value, *other,
                       where + "[" +
                           (e.key->kind == Object::Kind::Number ? std::to_string(int(e.key->number))
                                                                : e.key->string) +
                           "]",
                       afterForward);
      }
      return;
    default:
      return;
  }
}

/// Class names in pre-order, and how many parameter / statistics tensors have data.
void classTree(const Object& m, std::vector<std::string>& classes, size_t& tensors) {
  classes.push_back(m.className);
  for (const char* field : {"weight", "bias", "running_mean", "running_var"})
    if (const Object* t = m.get(field); t && t->tensorNumel() > 0) ++tensors;
  if (const Object* modules = m.get("modules"))
    for (const Object* child : modules->array()) classTree(*child, classes, tensors);
}

/// The script beside `t7Path` rebuilds the same tree and copies every tensor.
void checkLuaScript(const std::string& t7Path, const Object& root) {
  std::string luaPath = std::filesystem::path(t7Path).replace_extension(".lua").string();
  LuaRun run = runLuaScript(test::readFile(luaPath), root);
  CHECK(run.error == "");
  std::vector<std::string> classes;
  size_t tensors = 0;
  classTree(root, classes, tensors);
  CHECK(run.classes == classes);
  CHECK(run.copiedTensors == tensors);
}

}  // namespace

TEST_CASE("t7 export: small_cnn compiled from a sketch matches Lua Torch's file field by field") {
  struct Case {
    const char* vectorFile;
    bool ascii;
    DType dtype;
  };
  const Case cases[] = {{"small_cnn.t7", false, DType::Float32},
                        {"small_cnn_ascii.t7", true, DType::Float32},
                        {"small_cnn_double.t7", false, DType::Float64}};
  test::TempDir dir;
  for (const Case& c : cases) {
    CAPTURE(c.vectorFile);
    std::string weights = extractWeights(c.vectorFile, dir.path());
    std::string out = dir.file("small_cnn.t7"), err;
    CHECK(compile(source("small_cnn.sketch"), out, weights, &err, c.ascii, c.dtype) == 0);
    INFO(err);
    auto real = read(c.vectorFile, nnClasses());
    std::string error;
    auto ours = readT7File(out, nnClasses(), &error);
    REQUIRE(ours);
    compareObjects(*real->root, *ours->root, "model");
    std::string bytes = test::readFile(out);
    CHECK(isAsciiT7(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()) == c.ascii);
  }
}

TEST_CASE("t7 export: importing a Lua Torch model and exporting it again gives the same modules") {
  struct Case {
    const char* file;
    const char* inputShape;
    bool ascii;
    DType dtype;
  };
  const Case cases[] = {{"small_cnn.t7", "float32[1, 3, 32, 32]", false, DType::Float32},
                        {"small_cnn_flatparams.t7", "float32[1, 3, 32, 32]", false, DType::Float32},
                        {"small_cnn_double.t7", "float64[1, 3, 32, 32]", false, DType::Float64},
                        {"small_cnn_ascii.t7", "float32[1, 3, 32, 32]", true, DType::Float32},
                        {"mlp_logsoftmax.t7", "float32[4, 5]", false, DType::Float32}};
  test::TempDir dir;
  for (const Case& c : cases) {
    CAPTURE(c.file);
    SourceManager sources;
    DiagnosticEngine diags(sources);
    ImportOptions importOptions;
    importOptions.inputShape = c.inputShape;
    std::optional<ImportedModel> model =
        makeT7Kernel()->importModel(vector(c.file), importOptions, diags);
    REQUIRE(model);
    REQUIRE(inferShapes(model->graph, diags));
    ExportOptions options;
    options.outputPath = dir.file("again.t7");
    options.kernelOptions = {{"ascii", Value::ofBool(c.ascii)},
                             {"dtype", Value::ofString(dtypeName(c.dtype))}};
    REQUIRE(makeT7Kernel()->exportModel(model->graph, model->weights, options, diags));
    std::string error;
    auto ours = readT7File(options.outputPath, nnClasses(), &error);
    REQUIRE(ours);
    compareObjects(*read(c.file, nnClasses())->root, *ours->root, "model");
  }
}

TEST_CASE("t7 export: compile, import, compile again gives the same bytes") {
  // The file records the input type and block names, so no input shape is given; the empty
  // branch of a residual section is a pass-through again, not an Identity block.
  struct Case {
    const char* sketch;
    std::vector<std::string> ops;  // imported, Input first
  };
  const Case cases[] = {
      {"residual.sketch",
       {"Input", "Conv2d", "Conv2d", "ReLU", "Add", "Conv2d", "Conv2d", "Concat",
        "AdaptiveAvgPool2d", "Flatten", "Linear"}},
      {"layers.sketch",
       {"Input", "ConvTranspose2d", "PReLU", "LeakyReLU", "AvgPool2d", "ELU", "Sigmoid", "Mul",
        "ReLU6", "Identity", "Dropout", "Flatten", "Linear", "BatchNorm1d", "Softmax"}},
      {"embedding.sketch", {"Input", "Embedding", "Flatten", "Linear"}},
  };
  test::TempDir dir;
  for (const Case& c : cases) {
    CAPTURE(c.sketch);
    std::string first = dir.file("first.t7"), err;
    REQUIRE(compile(source(c.sketch), first, "", &err) == 0);
    SourceManager sources;
    DiagnosticEngine diags(sources);
    std::optional<ImportedModel> model = makeT7Kernel()->importModel(first, {}, diags);
    REQUIRE(model);
    std::vector<std::string> ops;
    for (const Node& n : model->graph.nodes) ops.push_back(n.op->name());
    CHECK(ops == c.ops);
    REQUIRE(inferShapes(model->graph, diags));
    ExportOptions options;
    options.outputPath = dir.file("second.t7");
    REQUIRE(makeT7Kernel()->exportModel(model->graph, model->weights, options, diags));
    CHECK(test::readFile(first) == test::readFile(options.outputPath));
  }
}

TEST_CASE("t7 export: LSTM and GRU become torch/rnn's SeqLSTM and SeqGRU as Lua Torch wrote them") {
  test::TempDir dir;
  for (const char* name : {"rnn_seqlstm", "rnn_seqgru"}) {
    CAPTURE(name);
    std::string vectorFile = std::string(name) + ".t7";
    std::string weights = extractWeights(vectorFile.c_str(), dir.path(), "");
    std::string out = dir.file("rnn.t7"), err;
    CHECK(compile(source(std::string(name) + ".sketch"), out, weights, &err) == 0);
    INFO(err);
    auto real = read(vectorFile, nnClasses());
    std::string error;
    auto ours = readT7File(out, nnClasses(), &error);
    REQUIRE(ours);
    std::vector<const Object*> modules = ours->root->get("modules")->array();
    REQUIRE(modules.size() == 1);
    compareObjects(*real->root, *modules[0], name);
  }
}

TEST_CASE("t7 export: adaptive pools are nn.SpatialAdaptive*Pooling as Lua Torch wrote them") {
  // These modules compute the op for every input size, so a symbolic H x W is written alike.
  struct Case {
    const char* vectorFile;
    const char* block;
  };
  const Case cases[] = {{"modules/adaptive_avg_pool_1x1.t7", "AdaptiveAvgPool2d(1)"},
                        {"modules/adaptive_avg_pool_w2h3.t7", "AdaptiveAvgPool2d((3, 2))"},
                        {"modules/adaptive_max_pool_2x2.t7", "AdaptiveMaxPool2d(2)"},
                        {"modules/adaptive_max_pool_w2h3.t7", "AdaptiveMaxPool2d((3, 2))"}};
  test::TempDir dir;
  for (const Case& c : cases) {
    for (const char* shape : {"[2, 4, 7, 9]", "[N, 4, H, W]"}) {
      CAPTURE(c.block);
      CAPTURE(shape);
      std::string sketch = dir.file("pool.sketch"), out = dir.file("pool.t7"), err;
      test::writeFile(sketch, std::string("input x: float32") + shape + "\npool = " + c.block +
                                  "\nx -> pool\noutput y = pool\n");
      REQUIRE(compile(sketch, out, "", &err) == 0);
      auto real = read(c.vectorFile, nnClasses());
      std::string error;
      auto ours = readT7File(out, nnClasses(), &error);
      REQUIRE(ours);
      std::vector<const Object*> modules = ours->root->get("modules")->array();
      REQUIRE(modules.size() == 1);
      compareObjects(*real->root, *modules[0], c.block, true);
    }
  }
}

TEST_CASE("t7 export: branches become ConcatTable with CAddTable or JoinTable") {
  test::TempDir dir;
  std::string out = dir.file("residual.t7"), err;
  REQUIRE(compile(source("residual.sketch"), out, "", &err) == 0);
  std::string error;
  auto doc = readT7File(out, nnClasses(), &error);
  REQUIRE(doc);
  std::vector<std::string> classes;
  for (const Object* m : doc->root->get("modules")->array()) classes.push_back(m->className);
  CHECK(classes == std::vector<std::string>{"nn.SpatialConvolution", "nn.ConcatTable",
                                            "nn.CAddTable", "nn.ConcatTable", "nn.JoinTable",
                                            "nn.SpatialAdaptiveAveragePooling", "nn.View",
                                            "nn.Linear"});
  std::vector<const Object*> modules = doc->root->get("modules")->array();
  std::vector<const Object*> residual = modules[1]->get("modules")->array();
  REQUIRE(residual.size() == 2);
  CHECK(residual[0]->className == "nn.Sequential");
  CHECK(residual[1]->className == "nn.Identity");
  CHECK(modules[4]->get("dimension")->number == 2);
  CHECK(modules[1]->get("output")->kind == Object::Kind::Table);
  std::string lua = test::readFile(dir.file("residual.lua"));
  CHECK(lua.find("m[1] = nn.Sequential()") != std::string::npos);
  CHECK(lua.find("m[3]:add(m[4])") != std::string::npos);
  CHECK(lua.find("nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1)") != std::string::npos);
  CHECK(lua.find("nn.JoinTable(2)") != std::string::npos);
  CHECK(lua.find("torch.load(dir .. 'residual.t7')") != std::string::npos);
  checkLuaScript(out, *doc->root);
}

TEST_CASE("t7 export: every example that Torch7 can express compiles and reads back") {
  // The others use ops or attribute values nn cannot express (grouped convolutions,
  // stacked batch-first LSTMs, attention): they must be refused with one unsupported-op
  // error per block, and write nothing.
  const std::set<std::string> expressible = {"alexnet",       "lenet5",      "resnet18",
                                             "resnet50",      "squeezenet1_1", "tiny_resnet",
                                             "unet_small",    "vgg11_bn"};
  test::TempDir dir;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(SKETCH_SOURCE_DIR) + "/examples")) {
    std::string name = entry.path().stem().string();
    CAPTURE(name);
    std::string out = dir.file(name + ".t7"), err;
    int code = compile(entry.path().string(), out, "", &err);
    if (!expressible.count(name)) {
      CHECK(code == 1);
      CHECK(err.find("[unsupported-op]") != std::string::npos);
      CHECK(!std::filesystem::exists(out));
      continue;
    }
    INFO(err);
    REQUIRE(code == 0);
    std::string error;
    auto doc = readT7File(out, nnClasses(), &error);
    CHECK(error == "");
    REQUIRE(doc);
    CHECK(doc->root->className == "nn.Sequential");
    checkLuaScript(out, *doc->root);
    std::filesystem::remove(out);
  }
}

TEST_CASE("t7 export: every block nn cannot express is listed before anything is written") {
  test::TempDir dir;
  std::string out = dir.file("unsupported.t7"), err;
  CHECK(compile(source("unsupported.sketch"), out, "", &err) == 1);
  for (const char* block : {"Conv2d 'dilated'", "Conv2d 'grouped'", "GroupNorm 'norm'",
                            "AdaptiveAvgPool2d 'pool'", "Softmax 'soft'"}) {
    CAPTURE(block);
    CHECK(err.find(std::string("the t7 kernel cannot express ") + block) != std::string::npos);
  }
  CHECK(err.find("'flat'") == std::string::npos);
  CHECK(!std::filesystem::exists(out));
}

TEST_CASE("t7 export: caveats of the chosen classes are warned about") {
  test::TempDir dir;
  std::string err;
  CHECK(compile(source("embedding.sketch"), dir.file("e.t7"), "", &err) == 0);
  CHECK(err.find("warning: Embedding 'embed': nn.LookupTable takes 1-based indices") !=
        std::string::npos);
}

TEST_CASE("t7 export: a graph no containers express is refused and nothing is written") {
  test::TempDir dir;
  std::string out = dir.file("crossed.t7"), err;
  CHECK(compile(source("not_series_parallel.sketch"), out, "", &err) == 1);
  CHECK(err.find("cannot arrange the graph as Torch7 containers: 'b' joins values that do "
                 "not come from one fork") != std::string::npos);
  CHECK(!std::filesystem::exists(out));
  CHECK(!std::filesystem::exists(dir.file("crossed.lua")));
}

TEST_CASE("t7 export: gradient buffers are holes in the file, zeros to its readers") {
  test::TempDir dir;
  std::string sketch = dir.file("wide.sketch"), out = dir.file("wide.t7"), err;
  test::writeFile(sketch,
                  "sketch wide\n"
                  "input x: float32[N, 1024]\n"
                  "fc = Linear(1024, 1024)\n"
                  "x -> fc\n"
                  "output fc\n");
  REQUIRE(compile(sketch, out, "", &err) == 0);
  auto doc = readT7File(out, nnClasses(), &err);
  REQUIRE_MESSAGE(doc, err);
  const Object* linear = doc->root->get("modules")->at(1);
  REQUIRE(linear);
  std::vector<double> gradient = values(*linear->get("gradWeight"));
  REQUIRE(gradient.size() == 1024 * 1024);
  CHECK(std::all_of(gradient.begin(), gradient.end(), [](double v) { return v == 0; }));
  // The weight (4 MB) is written; the gradient (4 MB more) is not.
  struct stat st;
  REQUIRE(::stat(out.c_str(), &st) == 0);
  CHECK(st.st_size > 8 << 20);
  CHECK(static_cast<int64_t>(st.st_blocks) * 512 < 6 << 20);
}
