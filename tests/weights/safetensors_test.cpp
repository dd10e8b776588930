#include "weights/safetensors.h"

#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>

#include "../core/temp_dir.h"

using namespace sketch;
using sketch::test::readFile;
using sketch::test::TempDir;

namespace {

// A file: the header's length, the header, then `dataBytes` zero bytes.
std::string craft(const std::string& header, size_t dataBytes) {
  uint64_t length = header.size();
  std::string out(reinterpret_cast<const char*>(&length), 8);
  return out + header + std::string(dataBytes, '\0');
}

std::string lengthOnly(uint64_t length, size_t following) {
  return std::string(reinterpret_cast<const char*>(&length), 8) + std::string(following, ' ');
}

std::optional<WeightStore> parse(const std::string& bytes, std::string* error) {
  return parseSafetensors(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
                          "w.safetensors", nullptr, error);
}

std::string serialize(const WeightStore& store) {
  std::string out, error;
  ByteSink sink = [&](const void* data, size_t size) {
    out.append(static_cast<const char*>(data), size);
    return true;
  };
  REQUIRE(serializeSafetensors(store, sink, &error));
  return out;
}

template <typename T>
Tensor tensorOf(DType dtype, std::vector<int64_t> shape, const std::vector<T>& values) {
  Tensor t = *Tensor::zeros(dtype, std::move(shape));
  REQUIRE(t.byteSize() == values.size() * sizeof(T));
  if (!values.empty()) std::memcpy(t.mutableData(), values.data(), t.byteSize());
  return t;
}

std::string bytesOf(const Tensor& t) {
  return std::string(reinterpret_cast<const char*>(t.data()), t.byteSize());
}

}  // namespace

TEST_CASE("safetensors rejects malformed files with a precise message") {
  const std::string f32 = R"("dtype":"F32","shape":[2],"data_offsets")";
  struct Case {
    std::string bytes;
    std::string error;
  };
  const Case cases[] = {
      {"abc", "file has 3 bytes, too few for the 8-byte header length"},
      {lengthOnly(100, 10), "header length 100 exceeds the 10 bytes that follow it"},
      {lengthOnly(uint64_t(1) << 63, 10),
       "header length 9223372036854775808 exceeds the limit of 100000000 bytes"},
      {craft(R"({"a":)", 0),
       "header is not valid JSON: parse error at line 1, column 6: syntax error while parsing "
       "value - unexpected end of input; expected '[', '{', or a literal"},
      {craft("[1]", 0), "header is not a JSON object"},
      {craft(R"({"a":[]})", 0), "tensor 'a' is not a JSON object"},
      {craft(R"({"a":{"dtype":"F32","shape":[]}})", 0), "tensor 'a' has no 'data_offsets'"},
      {craft(R"({"a":{"dtype":"Q4","shape":[],"data_offsets":[0,1]}})", 1),
       "tensor 'a' has unknown dtype 'Q4'"},
      {craft(R"({"a":{"dtype":"U16","shape":[],"data_offsets":[0,2]}})", 2),
       "tensor 'a' has dtype 'U16', which sketchc does not support"},
      {craft(R"({"a":{"dtype":7,"shape":[],"data_offsets":[0,2]}})", 2),
       "tensor 'a' has a dtype that is not a string"},
      {craft(R"({"a":{"dtype":"F32","shape":{},"data_offsets":[0,4]}})", 4),
       "tensor 'a' has a shape that is not a list"},
      {craft(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", 4),
       "tensor 'a' has a shape that is not a list of sizes"},
      {craft(R"({"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}})", 4),
       "tensor 'a' has a shape that is not a list of sizes"},
      {craft(R"({"a":{"dtype":"F32","shape":[9223372036854775808],"data_offsets":[0,4]}})", 4),
       "tensor 'a' has a dimension too large"},
      {craft(R"({"a":{)" + f32 + R"(:[0]}})", 8),
       "tensor 'a' needs data_offsets [begin, end] of two byte offsets"},
      {craft(R"({"a":{)" + f32 + R"(:[0,18446744073709551616]}})", 8),
       "tensor 'a' needs data_offsets [begin, end] of two byte offsets"},
      {craft(R"({"a":{)" + f32 + R"(:[8,0]}})", 8),
       "tensor 'a' has data_offsets [8, 0] that end before they begin"},
      {craft(R"({"a":{)" + f32 + R"(:[0,12]}})", 12),
       "tensor 'a' has shape [2] of F32 (8 bytes) but its data_offsets span 12 bytes"},
      {craft(R"({"fc.weight":{"dtype":"F32","shape":[1000000,1000],)"
             R"("data_offsets":[0,4000000000]}})", 1024),
       "tensor 'fc.weight' claims bytes [0, 4000000000) but the data section has 1024 bytes"},
      {craft(R"({"a":{"dtype":"F32","shape":[4611686018427387904,4],)"
             R"("data_offsets":[0,16]}})", 16),
       "tensor 'a' has shape [4611686018427387904, 4] whose size overflows"},
      {craft(R"({"a":{)" + f32 + R"(:[0,8]},"b":{)" + f32 + R"(:[4,12]}})", 12),
       "tensors 'a' and 'b' overlap (bytes [0, 8) and [4, 12))"},
      {craft(R"({"a":{)" + f32 + R"(:[0,8]},"b":{)" + f32 + R"(:[12,20]}})", 20),
       "bytes [8, 12) of the data section belong to no tensor"},
      {craft(R"({"a":{)" + f32 + R"(:[0,8]}})", 9),
       "bytes [8, 9) of the data section belong to no tensor"},
      {craft(R"({"a":{)" + f32 + R"(:[0,8]},"a":{)" + f32 + R"(:[8,16]}})", 16),
       "'a' appears twice in the header"},
      {craft(R"({"__metadata__":{"format":1}})", 0), "__metadata__ is not a map of strings"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.error);
    std::string error;
    CHECK_FALSE(parse(c.bytes, &error));
    CHECK(error == "'w.safetensors': " + c.error);
  }
}

TEST_CASE("safetensors reads headers in any order, with metadata and empty tensors") {
  const std::string header =
      R"({"b":{"dtype":"I64","shape":[1],"data_offsets":[4,12]},)"
      R"("__metadata__":{"format":"pt"},"e":{"dtype":"F32","shape":[0,3],"data_offsets":[4,4]},)"
      R"("a":{"dtype":"F32","shape":[],"data_offsets":[0,4],"extra":true}}   )";
  std::string error;
  std::optional<WeightStore> store = parse(craft(header, 12), &error);
  REQUIRE_MESSAGE(store, error);
  std::vector<std::string> names;
  for (const auto& entry : *store) names.push_back(entry.first);
  CHECK(names == std::vector<std::string>{"a", "e", "b"});  // data order
  CHECK(store->find("b")->dtype() == DType::Int64);
  CHECK(store->find("b")->shape() == std::vector<int64_t>{1});
  CHECK(store->find("e")->byteSize() == 0);
  CHECK(store->find("a")->numel() == 1);
  CHECK(store->metadata() == std::map<std::string, std::string>{{"format", "pt"}});
}

TEST_CASE("safetensors writes what the reference implementation writes") {
  // Expected bytes from the reference implementation's own tests (safetensors/src/tensor.rs).
  WeightStore store;
  store.insert("attn.0", tensorOf<float>(DType::Float32, {1, 2, 3}, {0, 1, 2, 3, 4, 5}));
  std::string header = R"({"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}})";
  std::string expected = craft(header, 0) + bytesOf(*store.find("attn.0"));
  CHECK(serialize(store) == expected);

  WeightStore padded;
  padded.insert("attn0", tensorOf<float>(DType::Float32, {1, 1, 2, 3}, {0, 1, 2, 3, 4, 5}));
  header = R"({"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}})";
  CHECK(serialize(padded) == craft(header + "       ", 0) + bytesOf(*padded.find("attn0")));

  WeightStore empty;
  CHECK(serialize(empty) == craft("{}      ", 0));
  empty.metadata()["framework"] = "pt";
  header = R"({"__metadata__":{"framework":"pt"}})";
  CHECK(serialize(empty) == craft(header + "     ", 0));
}

TEST_CASE("safetensors round trip keeps every dtype, aligned and deterministic") {
  WeightStore store;
  store.metadata()["format"] = "pt";
  store.insert("z.mask", tensorOf<uint8_t>(DType::Bool, {3}, {1, 0, 1}));
  store.insert("b.half", tensorOf<uint16_t>(DType::Float16, {2}, {0x3c00, 0xc000}));
  store.insert("a.double", tensorOf<double>(DType::Float64, {1}, {0.1}));
  store.insert("count", tensorOf<int64_t>(DType::Int64, {}, {7}));
  store.insert("w", tensorOf<float>(DType::Float32, {2, 2}, {1, 2, 3, 4}));
  store.insert("bytes", tensorOf<uint8_t>(DType::UInt8, {0}, {}));
  store.insert("i8", tensorOf<int8_t>(DType::Int8, {1}, {-3}));
  store.insert("bf", tensorOf<uint16_t>(DType::BFloat16, {1}, {0x3f80}));
  store.insert("i32", tensorOf<int32_t>(DType::Int32, {1}, {-5}));
  store.insert("i16", tensorOf<int16_t>(DType::Int16, {1}, {9}));

  TempDir dir;
  const std::string path = dir.file("w.safetensors");
  std::string error;
  REQUIRE_MESSAGE(writeSafetensors(store, path, &error), error);
  std::optional<WeightStore> back = readSafetensors(path, &error);
  REQUIRE_MESSAGE(back, error);
  CHECK(back->size() == store.size());
  CHECK(back->metadata() == store.metadata());
  for (const auto& entry : store) {  // not a structured binding: CAPTURE needs a variable
    const auto& [name, tensor] = entry;
    CAPTURE(entry.first);
    const Tensor* read = back->find(name);
    REQUIRE(read);
    CHECK(read->dtype() == tensor.dtype());
    CHECK(read->shape() == tensor.shape());
    CHECK(bytesOf(*read) == bytesOf(tensor));
    // Sorting by descending alignment puts every tensor at an aligned address.
    CHECK(reinterpret_cast<uintptr_t>(read->data()) % dtypeSize(read->dtype()) == 0);
  }
  std::vector<std::string> order;
  for (const auto& entry : *back) order.push_back(entry.first);
  CHECK(order == std::vector<std::string>{"count", "a.double", "w", "i32", "bf", "b.half",
                                          "i16", "i8", "bytes", "z.mask"});
  const std::string again = dir.file("again.safetensors");
  REQUIRE(writeSafetensors(*back, again, &error));
  CHECK(readFile(again) == readFile(path));
}

TEST_CASE("safetensors refuses names the format cannot carry, leaving no file") {
  TempDir dir;
  struct Case {
    std::string name;
    std::string error;
  };
  const Case cases[] = {
      {"__metadata__", "the tensor name '__metadata__' is reserved by safetensors"},
      {"bad\xff", "a tensor or metadata name is not valid UTF-8"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.error);
    WeightStore store;
    store.insert(c.name, *Tensor::zeros(DType::Float32, {1}));
    std::string error;
    CHECK_FALSE(writeSafetensors(store, dir.file("x.safetensors"), &error));
    CHECK(error == "cannot write '" + dir.file("x.safetensors") + "': " + c.error);
  }
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("safetensors reports unreadable files") {
  std::string error;
  CHECK_FALSE(readSafetensors("/nonexistent/w.safetensors", &error));
  CHECK(error == "cannot open '/nonexistent/w.safetensors': No such file or directory");
}

TEST_CASE("safetensors dtype names map both ways") {
  for (const std::string& name : dtypeNames()) {
    DType dtype = *parseDType(name);
    CAPTURE(name);
    CHECK(dtypeFromSafetensors(safetensorsDTypeName(dtype)) == dtype);
  }
  CHECK(std::string(safetensorsDTypeName(DType::BFloat16)) == "BF16");
  CHECK_FALSE(dtypeFromSafetensors("F8_E4M3"));
}
