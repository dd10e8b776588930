// Weight layout changes between ONNX's and PyTorch's conventions (transposed matrices,
// reordered gate blocks, folded scales). All operate on float32 tensors and copy.
#include <cstring>

#include "import/converter.h"

namespace sketch::onnx_import {

namespace {

Tensor fromFloats(std::vector<int64_t> shape, const std::vector<double>& values) {
  Tensor t = *Tensor::zeros(DType::Float32, std::move(shape));
  for (size_t i = 0; i < values.size(); ++i) {
    float v = static_cast<float>(values[i]);
    std::memcpy(t.mutableData() + 4 * i, &v, 4);
  }
  return t;
}

}  // namespace

Tensor transpose2d(const Tensor& tensor) {
  int64_t r = tensor.shape()[0], c = tensor.shape()[1];
  Tensor out = *Tensor::zeros(tensor.dtype(), {c, r});
  size_t size = dtypeSize(tensor.dtype());
  for (int64_t i = 0; i < r; ++i)
    for (int64_t j = 0; j < c; ++j)
      std::memcpy(out.mutableData() + (j * r + i) * size, tensor.data() + (i * c + j) * size, size);
  return out;
}

Tensor scaled(const Tensor& tensor, double scale) {
  std::vector<double> values = floatElements(tensor);
  for (double& v : values) v *= scale;
  return fromFloats(tensor.shape(), values);
}

Tensor rows(const Tensor& tensor, int64_t begin, int64_t end) {
  std::vector<int64_t> shape = tensor.shape();
  size_t rowBytes = tensor.byteSize() / static_cast<size_t>(shape[0]);
  shape[0] = end - begin;
  Tensor out = *Tensor::zeros(tensor.dtype(), shape);
  std::memcpy(out.mutableData(), tensor.data() + begin * rowBytes, (end - begin) * rowBytes);
  return out;
}

Tensor concatRows(const std::vector<Tensor>& parts) {
  std::vector<int64_t> shape = parts.front().shape();
  shape[0] = 0;
  for (const Tensor& p : parts) shape[0] += p.shape()[0];
  Tensor out = *Tensor::zeros(parts.front().dtype(), shape);
  size_t at = 0;
  for (const Tensor& p : parts) {
    std::memcpy(out.mutableData() + at, p.data(), p.byteSize());
    at += p.byteSize();
  }
  return out;
}

Tensor filled(std::vector<int64_t> shape, float value) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return fromFloats(std::move(shape), std::vector<double>(static_cast<size_t>(n), value));
}

Tensor reshapedTensor(const Tensor& tensor, std::vector<int64_t> shape) {
  auto owner = std::make_shared<Tensor>(tensor);
  return Tensor::view(tensor.dtype(), std::move(shape), tensor.data(), tensor.byteSize(), owner);
}

}  // namespace sketch::onnx_import
