#include "weights/initialize.h"

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <random>

namespace sketch {

namespace {

uint64_t fnv1a(const std::string& text) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

// splitmix64's finaliser: spreads nearby seeds (0, 1, 2) over the whole state space.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// A double uniform in [0, 1) from the top 53 bits of one draw.
double unitInterval(std::mt19937_64& generator) {
  return static_cast<double>(generator() >> 11) * 0x1.0p-53;
}

// N(0, 1) by the Box-Muller transform; 1 - u keeps the logarithm's argument in (0, 1].
double standardNormal(std::mt19937_64& generator) {
  double u1 = 1.0 - unitInterval(generator);
  double u2 = unitInterval(generator);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

double drawValue(const Init& init, int64_t index, std::mt19937_64& generator) {
  switch (init.kind) {
    case Init::Kind::Fill: return init.value;
    case Init::Kind::Uniform: return init.value * (2.0 * unitInterval(generator) - 1.0);
    case Init::Kind::Normal: return init.value * standardNormal(generator);
    case Init::Kind::Values: return init.values[size_t(index)];
  }
  return init.value;
}

template <typename T>
void fillWith(Tensor& tensor, const Init& init, std::mt19937_64& generator) {
  uint8_t* out = tensor.mutableData();
  for (int64_t i = 0; i < tensor.numel(); ++i) {
    T value = static_cast<T>(drawValue(init, i, generator));
    std::memcpy(out + i * sizeof(T), &value, sizeof(T));
  }
}

}  // namespace

uint64_t parameterSeed(uint64_t seed, const std::string& fullName) {
  return mix(seed ^ mix(fnv1a(fullName)));
}

bool canInitialize(const ParamSpec& spec) {
  if (spec.init.kind == Init::Kind::Values) {
    int64_t count = 1;
    for (int64_t d : spec.shape)
      if (__builtin_mul_overflow(count, d, &count)) return false;
    if (int64_t(spec.init.values.size()) != count) return false;
  }
  if (spec.dtype == DType::Int64) return spec.init.kind == Init::Kind::Fill;
  return spec.dtype == DType::Float32 || spec.dtype == DType::Float64;
}

std::optional<Tensor> initializeParam(const std::string& fullName, const ParamSpec& spec,
                                      uint64_t seed, std::string* error) {
  const std::string what = "parameter '" + fullName + "'";
  DType dtype = spec.dtype;
  if (!canInitialize(spec)) {
    *error = "cannot initialise " + what + " of dtype " + dtypeName(dtype) +
             (dtype == DType::Int64 ? " with random values" : "");
    return std::nullopt;
  }
  std::optional<Tensor> tensor;
  try {
    tensor = Tensor::zeros(dtype, spec.shape);
  } catch (const std::exception&) {  // bad_alloc, or length_error beyond max_size()
    *error = "cannot allocate " + std::to_string(*Tensor::byteSizeOf(dtype, spec.shape)) +
             " bytes for " + what;
    return std::nullopt;
  }
  if (!tensor) {
    *error = what + " has shape " + shapeString(spec.shape) + " whose size overflows";
    return std::nullopt;
  }
  std::mt19937_64 generator(parameterSeed(seed, fullName));
  if (dtype == DType::Float32) fillWith<float>(*tensor, spec.init, generator);
  if (dtype == DType::Float64) fillWith<double>(*tensor, spec.init, generator);
  if (dtype == DType::Int64) fillWith<int64_t>(*tensor, spec.init, generator);
  return tensor;
}

}  // namespace sketch
