// The Torch7 object model: what `torch.save` serializes, as plain data.
//
// A Document owns every object of one file; objects point at each other with raw pointers,
// so shared objects (one storage behind several tensors, `Sequential.output` that is the
// last module's output) and cycles (`A.a = A`) are simply the same pointer twice. Identity
// is what the writer turns into back-references and what the reader rebuilds from them.
// Tables keep their entries in file order, so reading then writing is deterministic.
// Depends on core/ and weights/tensor.h only; nothing here knows nn modules.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/shape.h"
#include "weights/tensor.h"

namespace sketch::t7 {

/// Type tags of the object stream (torch7 File.lua).
enum class Tag : int32_t {
  Nil = 0,
  Number = 1,
  String = 2,
  Table = 3,
  Torch = 4,
  Boolean = 5,
  Function = 6,
  LegacyRecurFunction = 7,
  RecurFunction = 8,
};

struct Object;

struct TableEntry {
  Object* key;
  Object* value;
};

struct Object {
  /// Torch objects come in three payloads: a tensor, a storage, or (any other class, e.g.
  /// nn modules) an instance whose fields are one table.
  enum class Kind { Nil, Number, String, Boolean, Table, Tensor, Storage, Instance };

  Kind kind = Kind::Nil;
  double number = 0;
  bool boolean = false;
  std::string string;
  std::vector<TableEntry> entries;  // Table

  std::string className;  // Tensor, Storage, Instance: "torch.FloatTensor", "nn.Linear"
  int version = 1;        // from "V <n>"; 0 for files older than versioning

  // Tensor: element (i0..ik) is storage[storageOffset - 1 + sum(i_d * stride_d)].
  std::vector<int64_t> sizes;
  std::vector<int64_t> strides;
  int64_t storageOffset = 1;  // 1-based, as Lua writes it
  Object* storage = nullptr;  // null for an empty tensor

  // Storage: its elements, one dimension, often a view of the file read or of the weights
  // written.
  DType dtype = DType::Float32;
  Tensor elements;
  bool zeroFilled = false;  // made by Document::zeroStorage: the writer can skip its bytes

  Object* fields = nullptr;  // Instance: its field table

  bool isNil() const { return kind == Kind::Nil; }
  bool isTorch() const {
    return kind == Kind::Tensor || kind == Kind::Storage || kind == Kind::Instance;
  }
  /// Storage elements.
  int64_t storageSize() const { return elements.numel(); }
  /// Tensor elements (0 for an empty tensor, -1 for negative or overflowing sizes).
  int64_t tensorNumel() const;

  /// Table (or an instance's field table) lookups; null when absent.
  const Object* get(std::string_view key) const;
  const Object* at(double key) const;
  /// Values of the keys 1..n of a table, in key order (Lua's array part, `modules`).
  std::vector<const Object*> array() const;
};

/// Owns the objects of one file (or of one file being written).
class Document {
 public:
  Object* make(Object::Kind kind);
  Object* nil() { return make(Object::Kind::Nil); }
  Object* number(double value);
  Object* string(std::string value);
  Object* boolean(bool value);
  Object* table();
  /// A module or any other class instance with a fresh field table.
  Object* instance(std::string className, int version = 1);
  /// A storage of the elements of `elements` (any shape; its dtype is the storage's).
  Object* storage(const Tensor& elements);
  /// A storage of `size` zeros (the gradient buffers of nn modules).
  Object* zeroStorage(DType dtype, int64_t size);
  /// A contiguous tensor over `storage` (null and no sizes: the empty tensor).
  Object* tensor(DType dtype, std::vector<int64_t> sizes, Object* storage,
                 int64_t storageOffset = 1);
  /// Appends key = value to a table or to an instance's fields.
  void set(Object* table, std::string_view key, Object* value);
  void set(Object* table, double key, Object* value);

  Object* root = nullptr;

 private:
  std::vector<std::unique_ptr<Object>> objects_;
};

/// "torch.FloatTensor" / "torch.FloatStorage" for a dtype; nothing for types Torch7 lacks.
std::optional<std::string> tensorClassName(DType dtype);
std::optional<std::string> storageClassName(DType dtype);
/// The element type of a tensor or storage class name.
std::optional<DType> tensorClassDType(std::string_view className);
std::optional<DType> storageClassDType(std::string_view className);

/// The elements a tensor object views, as a row-major Tensor of the storage's element type:
/// a view of the storage when the tensor is contiguous, else a copy. Fails (with `error`)
/// when the view reaches outside its storage.
std::optional<Tensor> toTensor(const Object& tensor, std::string* error);
/// A contiguous tensor object with a new storage over `tensor`'s elements converted to
/// `dtype` (shared, not copied, when `tensor` has that dtype already).
Object* fromTensor(Document& doc, const Tensor& tensor, DType dtype);

}  // namespace sketch::t7
