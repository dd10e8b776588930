#include "weights/tensor.h"

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <new>

#include "core/huge_pages.h"

namespace sketch {

std::optional<size_t> Tensor::byteSizeOf(DType dtype, const std::vector<int64_t>& shape) {
  size_t bytes = dtypeSize(dtype);
  for (int64_t dim : shape) {
    if (dim < 0 || __builtin_mul_overflow(bytes, static_cast<uint64_t>(dim), &bytes))
      return std::nullopt;
  }
  return bytes;
}

std::optional<Tensor> Tensor::zeros(DType dtype, std::vector<int64_t> shape) {
  std::optional<size_t> bytes = byteSizeOf(dtype, shape);
  if (!bytes) return std::nullopt;
  // calloc rather than a zero-filled vector: large blocks come zeroed from the kernel and
  // cost no memory until written (Torch7's gradient buffers are written out as zeros).
  void* memory = std::calloc(std::max<size_t>(*bytes, 1), 1);
  std::shared_ptr<uint8_t> buffer(static_cast<uint8_t*>(memory), std::free);
  if (!buffer) throw std::bad_alloc();
  adviseHugePages(memory, *bytes);
  Tensor t;
  t.dtype_ = dtype;
  t.shape_ = std::move(shape);
  t.mutable_ = buffer.get();
  t.data_ = t.mutable_;
  t.byteSize_ = *bytes;
  t.owner_ = std::move(buffer);
  return t;
}

Tensor Tensor::slice(size_t byteOffset, std::vector<int64_t> shape) const {
  std::optional<size_t> bytes = byteSizeOf(dtype_, shape);
  assert(bytes && byteOffset <= byteSize_ && *bytes <= byteSize_ - byteOffset);
  return view(dtype_, std::move(shape), data_ + byteOffset, *bytes, owner_);
}

Tensor Tensor::view(DType dtype, std::vector<int64_t> shape, const uint8_t* data,
                    size_t byteSize, std::shared_ptr<const void> owner) {
  Tensor t;
  t.dtype_ = dtype;
  t.shape_ = std::move(shape);
  t.data_ = data;
  t.byteSize_ = byteSize;
  t.owner_ = std::move(owner);
  return t;
}

int64_t Tensor::numel() const { return static_cast<int64_t>(byteSize_ / dtypeSize(dtype_)); }

std::string Tensor::shapeString() const { return sketch::shapeString(shape_); }

bool isRowMajor(const std::vector<int64_t>& shape, const std::vector<int64_t>& strides) {
  int64_t expected = 1;
  for (size_t d = shape.size(); d-- > 0;) {
    if (shape[d] != 1 && strides[d] != expected) return false;
    if (__builtin_mul_overflow(expected, shape[d], &expected)) return false;
  }
  return true;
}

std::string shapeString(const std::vector<int64_t>& shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

bool WeightStore::insert(std::string name, Tensor tensor) {
  if (contains(name)) return false;
  index_.emplace(name, entries_.size());
  entries_.emplace_back(std::move(name), std::move(tensor));
  return true;
}

void WeightStore::set(const std::string& name, Tensor tensor) {
  auto it = index_.find(name);
  if (it == index_.end()) {
    insert(name, std::move(tensor));
    return;
  }
  entries_[it->second].second = std::move(tensor);
}

const Tensor* WeightStore::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &entries_[it->second].second;
}

}  // namespace sketch
