// Tensor and WeightStore: the weights of a model, independent of any file format.
//
// A Tensor is an element type, a shape and a byte range kept alive by a shared owner: a
// MappedFile when read from disk (zero-copy) or a heap buffer when created here. Copies
// share the bytes. Bytes are little-endian, C order, as in safetensors and PyTorch; they
// may be unaligned (a foreign file's header need not be padded), so read elements with
// memcpy. WeightStore keeps tensors by full name in insertion order, so that everything
// written from it is deterministic. Depends only on core/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/shape.h"

namespace sketch {

class Tensor {
 public:
  Tensor() = default;

  /// Bytes needed for `shape` of `dtype`, or nothing when a dim is negative or the product
  /// overflows.
  static std::optional<size_t> byteSizeOf(DType dtype, const std::vector<int64_t>& shape);
  /// A zero-filled tensor on the heap; nothing when byteSizeOf fails.
  static std::optional<Tensor> zeros(DType dtype, std::vector<int64_t> shape);
  /// A view of bytes owned by `owner`; `byteSize` must equal byteSizeOf(dtype, shape).
  static Tensor view(DType dtype, std::vector<int64_t> shape, const uint8_t* data,
                     size_t byteSize, std::shared_ptr<const void> owner);

  DType dtype() const { return dtype_; }
  const std::vector<int64_t>& shape() const { return shape_; }
  const uint8_t* data() const { return data_; }
  size_t byteSize() const { return byteSize_; }
  int64_t numel() const;
  /// The bytes from `byteOffset` viewed under `shape` (which must fit), sharing the owner.
  Tensor slice(size_t byteOffset, std::vector<int64_t> shape) const;
  /// Writable bytes for tensors made by zeros(); null for views of files.
  uint8_t* mutableData() { return mutable_; }

  /// "[64, 3, 7, 7]", as shapes print in diagnostics.
  std::string shapeString() const;

 private:
  DType dtype_ = DType::Float32;
  std::vector<int64_t> shape_;
  const uint8_t* data_ = nullptr;
  uint8_t* mutable_ = nullptr;
  size_t byteSize_ = 0;
  std::shared_ptr<const void> owner_;
};

/// "[64, 3, 7, 7]" for any int64 shape (ParamSpec shapes, tensor shapes).
std::string shapeString(const std::vector<int64_t>& shape);
/// Whether a view of `shape` with `strides` (in elements, as files store tensor views) is
/// its storage's elements in C order; strides of size-1 dims do not matter.
bool isRowMajor(const std::vector<int64_t>& shape, const std::vector<int64_t>& strides);

/// Tensors by full name (`layer1.0.conv1.weight`), in insertion order, plus free-form
/// string metadata (safetensors' `__metadata__`).
class WeightStore {
 public:
  using Entry = std::pair<std::string, Tensor>;

  /// Adds a tensor; returns false (and changes nothing) when the name exists.
  bool insert(std::string name, Tensor tensor);
  /// Adds a tensor or replaces the one of that name, keeping its position.
  void set(const std::string& name, Tensor tensor);
  const Tensor* find(const std::string& name) const;
  bool contains(const std::string& name) const { return index_.count(name) != 0; }

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  std::vector<Entry>::const_iterator begin() const { return entries_.begin(); }
  std::vector<Entry>::const_iterator end() const { return entries_.end(); }

  std::map<std::string, std::string>& metadata() { return metadata_; }
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

 private:
  std::vector<Entry> entries_;
  std::unordered_map<std::string, size_t> index_;
  std::map<std::string, std::string> metadata_;
};

}  // namespace sketch
