// Golden shapes recorded from real PyTorch, and the catalogue's completeness.
//
// Every tests/ops/golden/*.json (nn.json from make_golden_nn.py, seq.json, ...) is a JSON
// array of cases in one schema:
//   {"op": "Conv2d", "args": [3, 16, 3], "kwargs": {"stride": 2},
//    "inputs": [{"shape": [1, 3, 32, 32], "dtype": "float32"}],
//    "outputs": [[1, 16, 15, 15]],
//    "params": {"weight": {"shape": [16, 3, 3, 3], "dtype": "float32"}, ...},
//    "error": false}
// Tuples are lists, None is null, floats keep a fraction or an exponent. "params" is the
// module's state_dict (parameters and buffers). With "error": true PyTorch raised, there are
// no outputs or params, and sketchc must report at least one bind or shape issue.
//
// Each case binds args/kwargs with bindArguments, runs the shape function on the inputs, then
// the params function, and compares outputs and params exactly; the MAC rule must run too.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ops/bind_arguments.h"
#include "ops/catalogue.h"
#include "ops/shape_context.h"

namespace sketch {
namespace {

using nlohmann::json;

Value toValue(const json& j) {
  if (j.is_null()) return Value::none();
  if (j.is_boolean()) return Value::ofBool(j.get<bool>());
  if (j.is_number_integer()) return Value::ofInt(j.get<int64_t>());
  if (j.is_number_float()) return Value::ofFloat(j.get<double>());
  if (j.is_string()) return Value::ofString(j.get<std::string>());
  std::vector<Value> items;
  for (const json& item : j) items.push_back(toValue(item));
  return Value::ofList(std::move(items));
}

std::string shapeText(const json& shape) {
  std::vector<Dim> dims;
  for (const json& d : shape) dims.push_back(Dim::known(d.get<int64_t>()));
  return TensorType::of(DType::Float32, dims).shapeString();
}

TensorType inputType(const json& input) {
  std::vector<Dim> dims;
  for (const json& d : input["shape"]) dims.push_back(Dim::known(d.get<int64_t>()));
  return TensorType::of(*parseDType(input["dtype"].get<std::string>()), std::move(dims));
}

/// Parameters as sorted "name: [shape] dtype" lines, comparable with the golden ones.
std::string paramsText(const std::vector<ParamSpec>& params) {
  std::vector<std::string> lines;
  for (const ParamSpec& p : params) {
    json shape = p.shape;
    lines.push_back(p.name + ": " + shapeText(shape) + " " + dtypeName(p.dtype));
  }
  std::sort(lines.begin(), lines.end());
  std::string s;
  for (const std::string& l : lines) s += l + "\n";
  return s;
}

std::string goldenParamsText(const json& params) {
  std::vector<std::string> lines;
  for (const auto& [name, p] : params.items())
    lines.push_back(name + ": " + shapeText(p["shape"]) + " " + p["dtype"].get<std::string>());
  std::sort(lines.begin(), lines.end());
  std::string s;
  for (const std::string& l : lines) s += l + "\n";
  return s;
}

/// What sketchc makes of one case: the issues it reports, or its outputs and params.
struct Outcome {
  std::vector<std::string> issues;
  std::vector<std::string> outputs;
  std::string params;
  int64_t macs = 0;
};

Outcome runCase(const OpDef& op, const json& c) {
  std::vector<CallArgument> arguments;
  for (const json& a : c["args"]) arguments.push_back({"", toValue(a)});
  for (const auto& [keyword, value] : c["kwargs"].items())
    arguments.push_back({keyword, toValue(value)});
  BindResult bound = bindArguments(op, arguments);
  Outcome out;
  for (const BindIssue& issue : bound.issues) out.issues.push_back(issue.message);
  if (!out.issues.empty()) return out;
  std::vector<TensorType> inputs;
  std::vector<std::string> names;  // producers are named after the op's ports in messages
  for (const json& i : c["inputs"]) {
    names.push_back(inputs.size() < op.inputs().size() ? op.inputs()[inputs.size()].name : "");
    inputs.push_back(inputType(i));
  }
  ShapeContext ctx(op, "golden", bound.attrs, inputs, names);
  op.shapeFn()(ctx);
  for (const ShapeIssue& issue : ctx.issues()) out.issues.push_back(issue.message);
  if (!out.issues.empty()) return out;
  for (const TensorType& t : ctx.outputs()) out.outputs.push_back(t.shapeString());
  out.params = paramsText(op.paramFn() ? op.paramFn()(bound.attrs) : std::vector<ParamSpec>{});
  out.macs = op.macFn()(bound.attrs, inputs, ctx.outputs());
  return out;
}

void checkCase(const json& c) {
  const OpDef* op = catalogue().find(c["op"].get<std::string>());
  CHECK_MESSAGE(op, "op not in the catalogue");
  if (!op) return;
  Outcome got = runCase(*op, c);
  std::string issues;
  for (const std::string& i : got.issues) issues += i + "\n";
  CAPTURE(issues);
  if (c["error"].get<bool>()) {
    CHECK_MESSAGE(!got.issues.empty(), "PyTorch raises, sketchc reports nothing");
    return;
  }
  CHECK_MESSAGE(got.issues.empty(), "PyTorch accepts the case, sketchc reports issues");
  if (!got.issues.empty()) return;
  std::vector<std::string> expected;
  for (const json& shape : c["outputs"]) expected.push_back(shapeText(shape));
  CHECK(got.outputs == expected);
  CHECK(got.params == goldenParamsText(c["params"]));
  CHECK(got.macs >= 0);
}

std::vector<std::filesystem::path> goldenFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(SKETCH_SOURCE_DIR) / "tests/ops/golden"))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST_CASE("golden shapes from PyTorch") {
  std::vector<std::filesystem::path> files = goldenFiles();
  REQUIRE(!files.empty());
  for (const std::filesystem::path& file : files) {
    std::ifstream in(file);
    json cases = json::parse(in);
    CHECK(cases.size() > 0);
    for (const json& c : cases) {
      std::string text = file.filename().string() + ": " + c.dump();
      CAPTURE(text);
      checkCase(c);
    }
  }
}

TEST_CASE("every op has a doc, category, shape and MAC rule") {
  const OpCatalogue& ops = catalogue();
  for (const std::string& name : ops.names()) {
    CAPTURE(name);
    const OpDef* op = ops.find(name);
    CHECK(!op->doc().empty());
    CHECK(!op->category().empty());
    CHECK(static_cast<bool>(op->shapeFn()));
    CHECK(static_cast<bool>(op->macFn()));
  }
}

}  // namespace
}  // namespace sketch
