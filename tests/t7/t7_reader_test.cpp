#include <fstream>
#include <iterator>
#include <set>

#include "t7_test_support.h"
#include "t7_writer.h"

using namespace sketch;
using namespace sketch::t7;
using namespace sketch::t7::testing;

namespace {

std::string fileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string readError(const std::string& bytes, const ReadOptions& options = {}) {
  std::string error;
  auto doc = readT7(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), options, &error);
  CHECK(!doc);
  return error;
}

std::string written(const Document& doc, Format format) {
  std::string out;
  writeT7(doc, format, [&](std::string_view b) {
    out.append(b);
    return true;
  });
  return out;
}

/// Calls toTensor on every tensor reachable from `o` (cycles allowed).
void convertEveryTensor(const Object& o, std::set<const Object*>& seen) {
  if (!seen.insert(&o).second) return;
  std::string error;
  if (o.kind == Object::Kind::Tensor && !toTensor(o, &error)) CHECK(!error.empty());
  const Object* table = o.kind == Object::Kind::Instance ? o.fields : &o;
  if (!table || table->kind != Object::Kind::Table) return;
  for (const TableEntry& e : table->entries) {
    convertEveryTensor(*e.key, seen);
    convertEveryTensor(*e.value, seen);
  }
}

ReadOptions acceptAll() {
  ReadOptions o;
  o.acceptClass = [](const std::string&) { return true; };
  return o;
}

}  // namespace

TEST_CASE("t7 reader: tensors of every documented layout") {
  struct Case {
    const char* file;
    const char* className;
    std::vector<int64_t> sizes;
    std::vector<double> values;
  };
  const Case cases[] = {
      {"tensor_float_2x3.t7", "torch.FloatTensor", {2, 3}, {1, 2, 3, 4, 5, 6}},
      {"tensor_double_2x3.t7", "torch.DoubleTensor", {2, 3}, {1, 2, 3, 4, 5, 6}},
      {"tensor_long_3.t7", "torch.LongTensor", {3}, {1, 2, 3}},
      {"tensor_transposed_view.t7", "torch.FloatTensor", {3, 2}, {1, 4, 2, 5, 3, 6}},
      {"tensor_narrow_offset.t7", "torch.FloatTensor", {2, 2}, {2, 3, 5, 6}},
      {"python-torchfile/doubletensor.t7", "torch.DoubleTensor", {2, 3}, {1, 2, 3, 4, 5, 6.9}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.file);
    auto doc = read(c.file);
    REQUIRE(doc->root->kind == Object::Kind::Tensor);
    CHECK(doc->root->className == c.className);
    CHECK(doc->root->sizes == c.sizes);
    CHECK(values(*doc->root) == c.values);
  }
  auto view = read("tensor_narrow_offset.t7");
  CHECK(view->root->strides == std::vector<int64_t>{3, 1});
  CHECK(view->root->storageOffset == 2);
  CHECK(view->root->storage->storageSize() == 6);

  // A contiguous tensor is its storage's bytes, read from the file without a copy; a
  // strided view is gathered into new memory.
  std::string error;
  auto whole = read("tensor_float_2x3.t7");
  std::optional<Tensor> t = toTensor(*whole->root, &error);
  REQUIRE(t);
  CHECK(t->data() == whole->root->storage->elements.data());
  CHECK(t->mutableData() == nullptr);
  std::optional<Tensor> gathered = toTensor(*view->root, &error);
  REQUIRE(gathered);
  CHECK(gathered->mutableData() != nullptr);
}

TEST_CASE("t7 reader: the empty tensor and a 2x3x4 float tensor") {
  auto empty = read("tensor_empty.t7");
  CHECK(empty->root->sizes.empty());
  CHECK(empty->root->storage == nullptr);
  CHECK(empty->root->storageOffset == 1);
  auto f = read("python-torchfile/floattensor.t7");
  CHECK(f->root->sizes == std::vector<int64_t>{2, 3, 4});
  double sum = 0;
  for (double v : values(*f->root)) sum += v;
  CHECK(sum == doctest::Approx(12.97241666913).epsilon(1e-6));
}

TEST_CASE("t7 reader: shared storage and repeated objects keep their identity") {
  auto doc = read("shared_storage_table.t7");
  const Object* a = doc->root->get("a");
  const Object* b = doc->root->get("b");
  const Object* c = doc->root->get("c");
  REQUIRE((a && b && c));
  CHECK(a == c);
  CHECK(a != b);
  CHECK(a->storage == b->storage);
  CHECK(b->sizes == std::vector<int64_t>{a->sizes[1], a->sizes[0]});
}

TEST_CASE("t7 reader: tables") {
  auto mixed = read("table_mixed.t7");
  const Object& t = *mixed->root;
  CHECK(t.at(1)->number == 1);
  CHECK(t.at(2)->number == 2.5);
  CHECK(t.at(3)->string == "str");
  CHECK(t.at(4)->boolean == true);
  CHECK(t.at(5)->boolean == false);
  CHECK(t.get("n")->number == 3);
  CHECK(t.at(10)->string == "x");

  CHECK(read("python-torchfile/hello=123.t7")->root->get("hello")->number == 123);
  auto list = read("python-torchfile/list_table.t7");
  std::vector<const Object*> items = list->root->array();
  REQUIRE(items.size() == 4);
  CHECK(items[0]->string == "hello");
  CHECK(items[2]->string == "third item");
  CHECK(items[3]->number == 123);
  auto map1 = read("python-torchfile/map_table1.t7");
  CHECK(map1->root->at(0)->string == "zero");
  CHECK(map1->root->at(4)->number == 123);
  auto map2 = read("python-torchfile/map_table2.t7");
  CHECK(map2->root->get("a")->string == "non number key");
  auto kv = read("python-torchfile/recursive_kv_table.t7");
  REQUIRE(kv->root->entries.size() == 1);
  CHECK(kv->root->entries[0].key == kv->root);
  CHECK(kv->root->entries[0].value == kv->root);
}

TEST_CASE("t7 reader: class instances, including one that contains itself") {
  auto custom = read("python-torchfile/custom_class.t7", acceptAll());
  CHECK(custom->root->className == "Blah");
  CHECK(custom->root->fields->entries.empty());
  auto recursive = read("python-torchfile/recursive_class.t7", acceptAll());
  CHECK(recursive->root->className == "A");
  CHECK(recursive->root->get("a") == recursive->root);
}

TEST_CASE("t7 reader: functions, nngraph and tds fail cleanly") {
  struct Case {
    const char* file;
    const char* error;
  };
  const Case cases[] = {
      {"python-torchfile/function.t7", "Lua function object (type 8) cannot be read"},
      {"python-torchfile/function_upvals.t7", "Lua function object (type 8) cannot be read"},
      {"python-torchfile/gmodule_with_linear_identity.t7",
       "unknown Torch class 'nn.gModule' at byte 0"},
      {"python-torchfile/nngraph_node.t7", "unknown Torch class 'nngraph.Node' at byte 0"},
      {"python-torchfile/tds_hash.t7", "unknown Torch class 'tds.Hash' at byte 0"},
      {"python-torchfile/tds_vec.t7", "unknown Torch class 'tds.Vec' at byte 0"},
      {"python-torchfile/custom_class.t7", "unknown Torch class 'Blah' at byte 0"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.file);
    std::string error;
    CHECK(!readT7File(vector(c.file), {}, &error));
    CHECK(error.find(c.error) != std::string::npos);
    CHECK(error.rfind("'" + vector(c.file) + "': ", 0) == 0);
  }
}

TEST_CASE("t7 reader: hostile sizes, truncation and nesting are refused before allocating") {
  std::string tensorFile = fileBytes(vector("tensor_float_2x3.t7"));
  CHECK(readError(tensorFile.substr(0, tensorFile.size() - 3)) ==
        "storage size of 6 does not fit in the file at byte 117");
  CHECK(readError(tensorFile.substr(0, 20)) ==
        "string of 17 bytes runs past the end of the file at byte 19");
  std::string hugeStorage = tensorFile;
  int64_t huge = int64_t(1) << 60;
  std::memcpy(&hugeStorage[tensorFile.size() - 32], &huge, 8);  // the storage size
  CHECK(readError(hugeStorage).find("storage size of 1152921504606846976 does not fit") == 0);
  std::string table = std::string("\x03\0\0\0\x01\0\0\0\xff\xff\xff\x7f", 12);
  CHECK(readError(table) == "table size of 2147483647 does not fit in the file at byte 8");
  std::string nested;
  for (int i = 0; i < 300; ++i) {
    int32_t header[3] = {3, i + 1, 1};  // a table whose one key is the next table
    nested.append(reinterpret_cast<const char*>(header), sizeof(header));
  }
  CHECK(readError(nested).find("objects nested deeper than 256") == 0);
  CHECK(readError(std::string("\x09\0\0\0", 4)) == "unknown object type 9 at byte 0");
}

TEST_CASE("t7 reader: views that reach outside their storage are refused") {
  auto doc = read("tensor_float_2x3.t7");
  Object& t = *doc->root;
  t.storageOffset = 2;
  std::string error;
  CHECK(!toTensor(t, &error));
  CHECK(error == "tensor view of [2, 3] reaches outside its storage of 6 elements");
  t.storageOffset = 1;
  t.strides = {INT64_MAX, 1};
  CHECK(!toTensor(t, &error));
}

TEST_CASE("t7 reader: the ascii and flattened-parameter models hold the binary model's tensors") {
  ReadOptions options = acceptAll();
  auto binary = read("small_cnn.t7", options);
  for (const char* other : {"small_cnn_ascii.t7", "small_cnn_flatparams.t7"}) {
    CAPTURE(other);
    auto doc = read(other, options);
    std::vector<const Object*> a = binary->root->get("modules")->array();
    std::vector<const Object*> b = doc->root->get("modules")->array();
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i]->className == b[i]->className);
      for (const char* field : {"weight", "bias", "running_mean", "running_var"}) {
        if (!a[i]->get(field)) continue;
        CAPTURE(field);
        CHECK(values(*a[i]->get(field)) == values(*b[i]->get(field)));
      }
    }
  }
  auto flat = read("small_cnn_flatparams.t7", options);
  std::vector<const Object*> modules = flat->root->get("modules")->array();
  const Object* storage = modules[0]->get("weight")->storage;
  CHECK(storage->storageSize() == 20730);
  std::vector<int64_t> offsets;
  for (const Object* m : modules)
    for (const char* field : {"weight", "bias"})
      if (const Object* t = m->get(field); t && t->storage) {
        CHECK(t->storage == storage);
        offsets.push_back(t->storageOffset);
      }
  CHECK(offsets == std::vector<int64_t>{1, 217, 225, 233, 241, 20721});
}

TEST_CASE("t7 writer: reading then writing a real file reproduces its bytes") {
  for (const char* file :
       {"small_cnn.t7", "small_cnn_double.t7", "small_cnn_flatparams.t7", "mlp_logsoftmax.t7",
        "rnn_seqlstm.t7", "shared_storage_table.t7", "table_mixed.t7", "tensor_narrow_offset.t7",
        "handwritten_min.t7", "python-torchfile/recursive_class.t7"}) {
    CAPTURE(file);
    auto doc = read(file, acceptAll());
    CHECK(written(*doc, Format::Binary) == fileBytes(vector(file)));
  }
  auto ascii = read("small_cnn_ascii.t7", acceptAll());
  CHECK(written(*ascii, Format::Ascii) == fileBytes(vector("small_cnn_ascii.t7")));
}

TEST_CASE("t7 reader: corrupted files fail with an error, never a crash") {
  // Deterministic mutations of real files (binary and ascii): flipped bytes, truncations.
  uint64_t state = 0x9e3779b97f4a7c15u;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (const char* file : {"mlp_logsoftmax.t7", "shared_storage_table.t7", "rnn_seqgru.t7",
                           "small_cnn_ascii.t7", "python-torchfile/recursive_class.t7"}) {
    std::string original = fileBytes(vector(file));
    size_t window = std::min<size_t>(original.size(), 4096);
    for (int round = 0; round < 300; ++round) {
      std::string bytes = original.substr(0, next() % 2 ? original.size() : next() % window);
      for (int flips = 0; flips < 4 && !bytes.empty(); ++flips)
        bytes[next() % std::min(bytes.size(), window)] = char(next());
      std::string error;
      auto doc =
          readT7(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), acceptAll(), &error);
      if (!doc) {
        CHECK(!error.empty());
        continue;
      }
      // A document that reads may still hold views outside their storage: toTensor says so.
      std::set<const Object*> seen;
      convertEveryTensor(*doc->root, seen);
    }
  }
}
