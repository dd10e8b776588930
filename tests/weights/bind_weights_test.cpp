#include "weights/bind_weights.h"

#include <doctest/doctest.h>

#include <cstring>

#include "../core/temp_dir.h"
#include "weights/safetensors.h"

using namespace sketch;
using sketch::test::TempDir;
using sketch::test::writeFile;

namespace {

ParamRequest request(std::string name, std::vector<int64_t> shape, Span span = {},
                     DType dtype = DType::Float32) {
  ParamRequest r;
  r.name = std::move(name);
  r.spec.shape = std::move(shape);
  r.spec.dtype = dtype;
  r.spec.init = Init::uniform(0.1);
  r.span = span;
  return r;
}

Tensor filled(DType dtype, std::vector<int64_t> shape, uint8_t byte) {
  Tensor t = *Tensor::zeros(dtype, std::move(shape));
  std::memset(t.mutableData(), byte, t.byteSize());
  return t;
}

std::vector<std::string> namesOf(const WeightStore& store) {
  std::vector<std::string> names;
  for (const auto& entry : store) names.push_back(entry.first);
  return names;
}

struct Fixture {
  SourceManager sources;
  DiagnosticEngine diags{sources};
  FileId file = sources.addFile("net.sketch", "fc = Linear(4, 2)\nconv = Conv2d(3, 8, 3)\n");

  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : diags.diagnostics())
      out.push_back(std::string(diag::code(d.kind)) + ": " + d.message);
    return out;
  }
};

}  // namespace

TEST_CASE("binding takes the file's tensors, and says so when it initialises without a file") {
  Fixture f;
  WeightStore loaded;
  loaded.insert("fc.bias", filled(DType::Float32, {2}, 0x11));
  loaded.insert("fc.weight", filled(DType::Float32, {2, 4}, 0x22));
  std::vector<ParamRequest> params = {request("fc.weight", {2, 4}), request("fc.bias", {2})};
  WeightStore bound = bindWeights(params, &loaded, "w.safetensors", 0, f.diags);
  CHECK(f.diags.diagnostics().empty());
  CHECK(namesOf(bound) == std::vector<std::string>{"fc.weight", "fc.bias"});  // model order
  CHECK(bound.find("fc.weight")->data() == loaded.find("fc.weight")->data());  // no copy

  WeightStore fresh = bindWeights(params, nullptr, "", 0, f.diags);
  CHECK(f.messages() == std::vector<std::string>{
                            "weights-initialised: no weights were given, so 2 parameters were "
                            "initialised: 'fc.weight', 'fc.bias'"});
  CHECK(f.diags.warningCount() == 1);
  CHECK(fresh.size() == 2);
  CHECK(fresh.find("fc.bias")->byteSize() == 8);
}

TEST_CASE("binding groups missing and unused tensors into one warning each") {
  Fixture f;
  WeightStore loaded;
  loaded.insert("fc.wieght", filled(DType::Float32, {2, 4}, 0));
  for (int i = 0; i < 7; ++i)
    loaded.insert("extra." + std::to_string(i), filled(DType::Int8, {1}, 0));
  std::vector<ParamRequest> params = {request("fc.weight", {2, 4}), request("fc.bias", {2})};
  for (int i = 0; i < 6; ++i) params.push_back(request("head." + std::to_string(i), {1}));
  params.push_back(request("fc.bias", {2}));  // a repeated request binds once
  WeightStore bound = bindWeights(params, &loaded, "w.safetensors", 0, f.diags);
  CHECK(bound.size() == 8);
  CHECK(f.messages() ==
        std::vector<std::string>{
            "weight-missing: 8 parameters are missing from 'w.safetensors' and were "
            "initialised: 'fc.weight', 'fc.bias', 'head.0', 'head.1', 'head.2' and 3 more",
            "weight-unused: 8 tensors in 'w.safetensors' match no parameter: 'fc.wieght', "
            "'extra.0', 'extra.1', 'extra.2', 'extra.3' and 3 more"});
  const std::vector<Diagnostic>& d = f.diags.diagnostics();
  CHECK(d[0].file == "w.safetensors");
  CHECK(d[1].help == "did you mean 'fc.weight' for 'fc.wieght'?");
}

TEST_CASE("binding reports one missing or unused tensor in the singular") {
  Fixture f;
  WeightStore loaded;
  loaded.insert("old", filled(DType::Float32, {1}, 0));
  bindWeights({request("fc.bias", {2})}, &loaded, "w.safetensors", 0, f.diags);
  CHECK(f.messages() ==
        std::vector<std::string>{
            "weight-missing: 1 parameter is missing from 'w.safetensors' and was initialised: "
            "'fc.bias'",
            "weight-unused: 1 tensor in 'w.safetensors' matches no parameter: 'old'"});
  CHECK(f.diags.diagnostics()[1].help.empty());
}

TEST_CASE("binding reports wrong shapes and dtypes at the block, converting what it may") {
  Fixture f;
  Span fc{f.file, 0, 17};
  WeightStore loaded;
  loaded.insert("fc.weight", filled(DType::Float32, {2, 3}, 0));
  loaded.insert("fc.bias", filled(DType::Int32, {2}, 0));
  loaded.insert("conv.weight", filled(DType::Float16, {8}, 0x00));
  loaded.insert("bn.num_batches_tracked", filled(DType::Int32, {}, 0x01));
  std::vector<ParamRequest> params = {
      request("fc.weight", {2, 4}, fc), request("fc.bias", {2}, fc),
      request("conv.weight", {8}), request("bn.num_batches_tracked", {}, {}, DType::Int64)};
  params.back().spec.init = Init::fill(0);
  WeightStore bound = bindWeights(params, &loaded, "w.safetensors", 0, f.diags);
  CHECK(f.messages() ==
        std::vector<std::string>{
            "weight-shape: tensor 'fc.weight' in 'w.safetensors' has shape [2, 3], but the "
            "parameter has shape [2, 4]",
            "weight-dtype: tensor 'fc.bias' in 'w.safetensors' is int32, but the parameter is "
            "float32"});
  const std::vector<Diagnostic>& d = f.diags.diagnostics();
  CHECK(d[0].span.begin == fc.begin);
  CHECK(d[0].file == "net.sketch");
  CHECK(d[1].help == "floating-point tensors convert to float32 and float64, and integer "
                     "tensors to int64; other dtypes must match");
  // Every parameter is present and typed as the model needs, mismatches initialised.
  CHECK(bound.size() == 4);
  CHECK(bound.find("fc.weight")->shape() == std::vector<int64_t>{2, 4});
  CHECK(bound.find("conv.weight")->dtype() == DType::Float32);
  const Tensor* tracked = bound.find("bn.num_batches_tracked");
  int64_t count = 0;
  std::memcpy(&count, tracked->data(), 8);
  CHECK(count == 0x01010101);
}

TEST_CASE("binding reports parameters it cannot initialise") {
  Fixture f;
  ParamRequest half = request("h", {2}, {}, DType::Float16);
  ParamRequest huge = request("big", {int64_t(1) << 62, 4});
  WeightStore bound = bindWeights({half, huge}, nullptr, "", 0, f.diags);
  CHECK(bound.empty());
  CHECK(f.messages() ==
        std::vector<std::string>{
            "weight-dtype: cannot initialise parameter 'h' of dtype float16",
            "weight-shape: parameter 'big' has shape [4611686018427387904, 4] whose size "
            "overflows"});
  CHECK(f.diags.diagnostics()[0].file.empty());  // no weights file to blame
}

TEST_CASE("loading weights reports absent, unreadable and malformed files") {
  TempDir dir;
  writeFile(dir.file("bad.safetensors"), "abc");
  WeightStore store;
  store.insert("w", filled(DType::Float32, {1}, 0));
  std::string error;
  REQUIRE(writeSafetensors(store, dir.file("good.safetensors"), &error));
  Fixture f;
  Span statement{f.file, 5, 10};
  CHECK(loadWeights(dir.file("good.safetensors"), f.diags));
  CHECK_FALSE(loadWeights(dir.file("none.safetensors"), f.diags));
  CHECK_FALSE(loadWeights(dir.path(), f.diags));
  CHECK_FALSE(loadWeights(dir.file("bad.safetensors"), f.diags, statement));
  const std::string bad = dir.file("bad.safetensors");
  CHECK(f.messages() ==
        std::vector<std::string>{
            "file-not-found: cannot open '" + dir.file("none.safetensors") +
                "': No such file or directory",
            "file-unreadable: cannot read '" + dir.path() + "': Is a directory",
            "weights-format: '" + bad + "': file has 3 bytes, too few for the 8-byte header "
                                        "length"});
  CHECK(f.diags.diagnostics()[0].file == dir.file("none.safetensors"));
  CHECK(f.diags.diagnostics()[2].span.begin == 5);
}

TEST_CASE("a wrong shape inside a block instance is reported at the instance, naming the option") {
  Fixture f;
  Span instance{f.file, 0, 17}, definition{f.file, 18, 40};
  WeightStore loaded;
  loaded.insert("m.fc.weight", filled(DType::Float32, {2, 3}, 0));
  ParamRequest r = request("m.fc.weight", {2, 4}, definition);
  r.instance = instance;
  bindWeights({r}, &loaded, "w.safetensors", 0, f.diags);
  REQUIRE(f.diags.diagnostics().size() == 1);
  const Diagnostic& d = f.diags.diagnostics()[0];
  CHECK(d.kind == diag::WeightShape);
  CHECK(d.span.begin == instance.begin);
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].span.begin == definition.begin);
  CHECK(d.help.find("--reinit-mismatched") != std::string::npos);
}

TEST_CASE("re-initialising mismatched parameters keeps every tensor that fits and lists the rest") {
  Fixture f;
  WeightStore loaded;
  loaded.insert("fc.weight", filled(DType::Float32, {2, 3}, 0x22));
  loaded.insert("fc.bias", filled(DType::Float32, {2}, 0x11));
  loaded.insert("conv.bias", filled(DType::Int32, {8}, 0));
  std::vector<ParamRequest> params = {request("fc.weight", {2, 4}), request("fc.bias", {2}),
                                      request("conv.bias", {8}), request("head.weight", {5})};
  WeightStore bound =
      bindWeights(params, &loaded, "w.safetensors", 0, f.diags, OnShapeMismatch::Reinitialise);
  CHECK(f.messages() ==
        std::vector<std::string>{
            "weight-dtype: tensor 'conv.bias' in 'w.safetensors' is int32, but the parameter is "
            "float32",
            "weight-missing: 1 parameter is missing from 'w.safetensors' and was initialised: "
            "'head.weight'",
            "weight-reinitialised: 1 parameter no longer fits its tensor in 'w.safetensors' and "
            "was initialised: 'fc.weight'"});
  CHECK(bound.find("fc.bias")->data() == loaded.find("fc.bias")->data());  // kept, not copied
  CHECK(bound.find("fc.weight")->shape() == std::vector<int64_t>{2, 4});
  // Initialised as without a file: the same seed gives the same values.
  SourceManager sources;
  DiagnosticEngine quiet(sources);
  WeightStore fresh = bindWeights({request("fc.weight", {2, 4})}, nullptr, "", 0, quiet);
  CHECK(std::memcmp(fresh.find("fc.weight")->data(), bound.find("fc.weight")->data(), 32) == 0);
}
