#include "weights/convert.h"

#include <cassert>
#include <cmath>
#include <cstring>

namespace sketch {

namespace {

bool isInteger(DType dtype) {
  return dtype == DType::Int64 || dtype == DType::Int32 || dtype == DType::Int16 ||
         dtype == DType::Int8 || dtype == DType::UInt8;
}

template <typename T>
T load(const uint8_t* bytes, int64_t index) {
  T value;
  std::memcpy(&value, bytes + index * sizeof(T), sizeof(T));
  return value;
}

// IEEE binary16: 1 sign, 5 exponent (bias 15), 10 mantissa bits.
double halfToDouble(uint16_t bits) {
  double sign = (bits & 0x8000) ? -1.0 : 1.0;
  int exponent = (bits >> 10) & 0x1f;
  int mantissa = bits & 0x3ff;
  if (exponent == 0) return sign * std::ldexp(mantissa, -24);
  if (exponent == 31) return mantissa ? std::nan("") : sign * INFINITY;
  return sign * std::ldexp(mantissa + 1024, exponent - 25);
}

// bfloat16 is the upper half of a float32.
double bfloat16ToDouble(uint16_t bits) {
  uint32_t wide = static_cast<uint32_t>(bits) << 16;
  float value;
  std::memcpy(&value, &wide, sizeof value);
  return value;
}

double floatingAt(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DType::Float16: return halfToDouble(load<uint16_t>(t.data(), i));
    case DType::BFloat16: return bfloat16ToDouble(load<uint16_t>(t.data(), i));
    case DType::Float32: return load<float>(t.data(), i);
    default: return load<double>(t.data(), i);
  }
}

int64_t integerAt(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DType::Int32: return load<int32_t>(t.data(), i);
    case DType::Int16: return load<int16_t>(t.data(), i);
    case DType::Int8: return load<int8_t>(t.data(), i);
    case DType::UInt8: return load<uint8_t>(t.data(), i);
    default: return load<int64_t>(t.data(), i);
  }
}

template <typename T, typename Read>
Tensor convertWith(const Tensor& from, DType to, Read read) {
  Tensor out = *Tensor::zeros(to, from.shape());
  for (int64_t i = 0; i < from.numel(); ++i) {
    T value = static_cast<T>(read(from, i));
    std::memcpy(out.mutableData() + i * sizeof(T), &value, sizeof(T));
  }
  return out;
}

}  // namespace

bool isConvertible(DType from, DType to) {
  if (from == to) return true;
  if (to == DType::Float32 || to == DType::Float64) return isFloatingPoint(from);
  return to == DType::Int64 && isInteger(from);
}

Tensor convertTensor(const Tensor& tensor, DType to) {
  assert(isConvertible(tensor.dtype(), to));
  if (tensor.dtype() == to) return tensor;
  if (to == DType::Float32) return convertWith<float>(tensor, to, floatingAt);
  if (to == DType::Float64) return convertWith<double>(tensor, to, floatingAt);
  return convertWith<int64_t>(tensor, to, integerAt);
}

}  // namespace sketch
