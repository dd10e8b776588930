#include "weights/convert.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <vector>

using namespace sketch;

namespace {

template <typename T>
Tensor tensorOf(DType dtype, const std::vector<T>& values) {
  Tensor t = *Tensor::zeros(dtype, {static_cast<int64_t>(values.size())});
  std::memcpy(t.mutableData(), values.data(), t.byteSize());
  return t;
}

template <typename T>
std::vector<T> valuesOf(const Tensor& t) {
  std::vector<T> out(t.numel());
  std::memcpy(out.data(), t.data(), t.byteSize());
  return out;
}

}  // namespace

TEST_CASE("dtype conversion follows load_state_dict's casts") {
  struct Case {
    DType from, to;
    bool convertible;
  };
  const Case cases[] = {
      {DType::Float16, DType::Float32, true},  {DType::BFloat16, DType::Float32, true},
      {DType::Float64, DType::Float32, true},  {DType::Float32, DType::Float64, true},
      {DType::Int32, DType::Int64, true},      {DType::UInt8, DType::Int64, true},
      {DType::Bool, DType::Bool, true},        {DType::Float32, DType::Float16, false},
      {DType::Int64, DType::Float32, false},   {DType::Float32, DType::Int64, false},
      {DType::Int64, DType::Int32, false},     {DType::Bool, DType::Int64, false},
  };
  for (const Case& c : cases) {
    CAPTURE(std::string(dtypeName(c.from)) + " -> " + dtypeName(c.to));
    CHECK(isConvertible(c.from, c.to) == c.convertible);
  }
}

TEST_CASE("dtype conversion keeps values") {
  // binary16: 1, -2, the smallest subnormal, the largest finite, infinity.
  Tensor half = tensorOf<uint16_t>(DType::Float16, {0x3c00, 0xc000, 0x0001, 0x7bff, 0x7c00});
  CHECK(valuesOf<float>(convertTensor(half, DType::Float32)) ==
        std::vector<float>{1.0f, -2.0f, std::ldexp(1.0f, -24), 65504.0f, INFINITY});
  Tensor bf = tensorOf<uint16_t>(DType::BFloat16, {0x3f80, 0xc040});
  CHECK(valuesOf<float>(convertTensor(bf, DType::Float32)) == std::vector<float>{1.0f, -3.0f});
  Tensor wide = tensorOf<double>(DType::Float64, {0.1, -1e300});
  CHECK(valuesOf<float>(convertTensor(wide, DType::Float32)) ==
        std::vector<float>{0.1f, -INFINITY});
  Tensor ints = tensorOf<int32_t>(DType::Int32, {-7, 2147483647});
  CHECK(valuesOf<int64_t>(convertTensor(ints, DType::Int64)) ==
        std::vector<int64_t>{-7, 2147483647});
  Tensor same = tensorOf<float>(DType::Float32, {1.5f});
  CHECK(convertTensor(same, DType::Float32).data() == same.data());  // shared, not copied
}
