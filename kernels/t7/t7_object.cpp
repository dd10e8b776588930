#include "t7_object.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "weights/convert.h"

namespace sketch::t7 {

namespace {

struct ElementClass {
  const char* name;  // "Float" in torch.FloatTensor
  DType dtype;
};

// Torch7's element types (generic/Tensor.c instantiations); Half has a storage only.
constexpr ElementClass kElementClasses[] = {
    {"Byte", DType::UInt8},     {"Char", DType::Int8},    {"Short", DType::Int16},
    {"Int", DType::Int32},      {"Long", DType::Int64},   {"Float", DType::Float32},
    {"Double", DType::Float64}, {"Half", DType::Float16},
};

std::optional<DType> classDType(std::string_view className, std::string_view suffix) {
  constexpr std::string_view kPrefix = "torch.";
  if (className.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  std::string_view rest = className.substr(kPrefix.size());
  if (rest.size() <= suffix.size() || rest.substr(rest.size() - suffix.size()) != suffix)
    return std::nullopt;
  rest.remove_suffix(suffix.size());
  for (const ElementClass& c : kElementClasses)
    if (rest == c.name) return c.dtype;
  return std::nullopt;
}

std::optional<std::string> className(DType dtype, const char* suffix) {
  for (const ElementClass& c : kElementClasses)
    if (c.dtype == dtype) return std::string("torch.") + c.name + suffix;
  return std::nullopt;
}

}  // namespace

int64_t Object::tensorNumel() const {
  if (!storage || sizes.empty()) return 0;  // Torch7 has no 0-dim tensors: nDim 0 is empty
  int64_t n = 1;
  for (int64_t s : sizes)
    if (s < 0 || __builtin_mul_overflow(n, s, &n)) return -1;  // sizes come from files
  return n;
}

const Object* Object::get(std::string_view key) const {
  const Object* table = kind == Kind::Instance ? fields : this;
  if (!table || table->kind != Kind::Table) return nullptr;
  for (const TableEntry& e : table->entries)
    if (e.key->kind == Kind::String && e.key->string == key) return e.value;
  return nullptr;
}

const Object* Object::at(double key) const {
  const Object* table = kind == Kind::Instance ? fields : this;
  if (!table || table->kind != Kind::Table) return nullptr;
  for (const TableEntry& e : table->entries)
    if (e.key->kind == Kind::Number && e.key->number == key) return e.value;
  return nullptr;
}

// One pass over the entries rather than one lookup per index: a table from a file may hold
// a million entries, and at() scans them all.
std::vector<const Object*> Object::array() const {
  const Object* table = kind == Kind::Instance ? fields : this;
  if (!table || table->kind != Kind::Table) return {};
  std::map<double, const Object*> numbered;  // the first entry of a key wins, as in at()
  for (const TableEntry& e : table->entries)
    if (e.key->kind == Kind::Number && !std::isnan(e.key->number))  // NaN breaks map order
      numbered.emplace(e.key->number, e.value);
  std::vector<const Object*> items;
  for (auto it = numbered.find(1.0); it != numbered.end() && it->second;
       it = numbered.find(static_cast<double>(items.size() + 1)))
    items.push_back(it->second);
  return items;
}

Object* Document::make(Object::Kind kind) {
  objects_.push_back(std::make_unique<Object>());
  objects_.back()->kind = kind;
  return objects_.back().get();
}

Object* Document::number(double value) {
  Object* o = make(Object::Kind::Number);
  o->number = value;
  return o;
}

Object* Document::string(std::string value) {
  Object* o = make(Object::Kind::String);
  o->string = std::move(value);
  return o;
}

Object* Document::boolean(bool value) {
  Object* o = make(Object::Kind::Boolean);
  o->boolean = value;
  return o;
}

Object* Document::table() { return make(Object::Kind::Table); }

Object* Document::instance(std::string name, int version) {
  Object* o = make(Object::Kind::Instance);
  o->className = std::move(name);
  o->version = version;
  o->fields = table();
  return o;
}

Object* Document::storage(const Tensor& elements) {
  Object* o = make(Object::Kind::Storage);
  o->className = *storageClassName(elements.dtype());
  o->dtype = elements.dtype();
  o->elements = elements.slice(0, {elements.numel()});
  return o;
}

Object* Document::zeroStorage(DType dtype, int64_t size) {
  Object* o = storage(*Tensor::zeros(dtype, {size}));
  o->zeroFilled = true;
  return o;
}

Object* Document::tensor(DType dtype, std::vector<int64_t> sizes, Object* storage,
                         int64_t storageOffset) {
  Object* o = make(Object::Kind::Tensor);
  o->className = *tensorClassName(dtype);
  o->dtype = dtype;
  o->strides.assign(sizes.size(), 1);
  for (size_t d = sizes.size(); d-- > 1;) o->strides[d - 1] = o->strides[d] * sizes[d];
  o->sizes = std::move(sizes);
  o->storage = storage;
  o->storageOffset = storageOffset;
  return o;
}

void Document::set(Object* table, std::string_view key, Object* value) {
  Object* t = table->kind == Object::Kind::Instance ? table->fields : table;
  t->entries.push_back({string(std::string(key)), value});
}

void Document::set(Object* table, double key, Object* value) {
  Object* t = table->kind == Object::Kind::Instance ? table->fields : table;
  t->entries.push_back({number(key), value});
}

std::optional<std::string> tensorClassName(DType dtype) {
  return dtype == DType::Float16 ? std::nullopt : className(dtype, "Tensor");
}
std::optional<std::string> storageClassName(DType dtype) { return className(dtype, "Storage"); }
std::optional<DType> tensorClassDType(std::string_view name) {
  std::optional<DType> d = classDType(name, "Tensor");
  return d == DType::Float16 ? std::nullopt : d;
}
std::optional<DType> storageClassDType(std::string_view name) {
  return classDType(name, "Storage");
}

std::optional<Tensor> toTensor(const Object& tensor, std::string* error) {
  const Object* storage = tensor.storage;
  DType dtype = storage ? storage->dtype : tensor.dtype;
  if (tensor.sizes.empty()) return Tensor::zeros(dtype, {0});
  bool hasZeroSize = std::find(tensor.sizes.begin(), tensor.sizes.end(), 0) != tensor.sizes.end();
  if (!storage && !hasZeroSize) {
    *error = "tensor of " + shapeString(tensor.sizes) + " has no storage";
    return std::nullopt;
  }
  if (tensor.tensorNumel() == 0) return Tensor::zeros(dtype, tensor.sizes);
  // The furthest element the view reaches must lie inside the storage; sizes and strides
  // come from the file, so the arithmetic is checked.
  int64_t last = tensor.storageOffset - 1;
  bool valid = tensor.storageOffset >= 1;
  for (size_t d = 0; d < tensor.sizes.size() && valid; ++d) {
    int64_t step = 0;
    valid = tensor.sizes[d] >= 0 && tensor.strides[d] >= 0 &&
            !__builtin_mul_overflow(tensor.sizes[d] - 1, tensor.strides[d], &step) &&
            !__builtin_add_overflow(last, step, &last);
  }
  if (!valid || last >= storage->storageSize()) {
    *error = "tensor view of " + shapeString(tensor.sizes) + " reaches outside its storage of " +
             std::to_string(storage->storageSize()) + " elements";
    return std::nullopt;
  }
  // Zero strides repeat elements: a few bytes of storage could claim terabytes of tensor.
  // Saved weights never repeat, so a view larger than its storage is refused.
  if (tensor.tensorNumel() > storage->storageSize()) {
    *error = "tensor view of " + shapeString(tensor.sizes) +
             " has more elements than its storage of " + std::to_string(storage->storageSize());
    return std::nullopt;
  }
  const Tensor& elements = storage->elements;
  size_t element = dtypeSize(dtype);
  if (isRowMajor(tensor.sizes, tensor.strides))
    return elements.slice(static_cast<size_t>(tensor.storageOffset - 1) * element, tensor.sizes);
  std::optional<Tensor> out = Tensor::zeros(dtype, tensor.sizes);
  if (!out) {
    *error = "tensor too large";
    return std::nullopt;
  }
  int64_t n = out->numel();
  std::vector<int64_t> index(tensor.sizes.size(), 0);
  for (int64_t i = 0; i < n; ++i) {
    int64_t at = tensor.storageOffset - 1;
    for (size_t d = 0; d < index.size(); ++d) at += index[d] * tensor.strides[d];
    std::memcpy(out->mutableData() + i * element, elements.data() + at * element, element);
    for (size_t d = index.size(); d-- > 0;) {
      if (++index[d] < tensor.sizes[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

Object* fromTensor(Document& doc, const Tensor& tensor, DType dtype) {
  return doc.tensor(dtype, tensor.shape(), doc.storage(convertTensor(tensor, dtype)));
}

}  // namespace sketch::t7
