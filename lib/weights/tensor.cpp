#include "weights/tensor.h"

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
  // make_shared<T[]> is C++20; a vector gives zeroed, suitably aligned bytes.
  auto buffer = std::make_shared<std::vector<uint8_t>>(*bytes);
  Tensor t;
  t.dtype_ = dtype;
  t.shape_ = std::move(shape);
  t.mutable_ = buffer->data();
  t.data_ = t.mutable_;
  t.byteSize_ = *bytes;
  t.owner_ = std::move(buffer);
  return t;
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
