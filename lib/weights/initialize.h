// Initial values for parameters that no weights file provides.
//
// Each parameter is filled as its ParamSpec's Init says (PyTorch's reset_parameters
// recipe): a constant, U(-bound, bound) or N(0, std). Values come from std::mt19937_64
// seeded with the run's seed mixed with a stable hash (FNV-1a) of the parameter's full
// name, so a parameter's values depend only on (seed, name): not on the order in which
// parameters are created, nor on other blocks being added or removed. Uniform and normal
// values are derived from the raw 64-bit draws here rather than through
// std::uniform_real_distribution, whose algorithm differs between standard libraries.
// Depends on core/ and ops/op_def.h only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ops/op_def.h"
#include "weights/tensor.h"

namespace sketch {

/// The generator seed of one parameter.
uint64_t parameterSeed(uint64_t seed, const std::string& fullName);

/// Whether initializeParam supports `spec`'s dtype and Init (float32, float64; int64 with a
/// constant fill only).
bool canInitialize(const ParamSpec& spec);

/// A new tensor of `spec`'s dtype and shape, filled per `spec.init`. On failure returns
/// nothing and sets `error`: !canInitialize(spec), or a size that overflows or cannot be
/// allocated.
std::optional<Tensor> initializeParam(const std::string& fullName, const ParamSpec& spec,
                                      uint64_t seed, std::string* error);

}  // namespace sketch
