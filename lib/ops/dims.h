// Small shape helpers shared by the op families: dim indices and broadcasting.
#pragma once

#include <cstdint>
#include <algorithm>
#include <optional>
#include <vector>

#include "core/shape.h"

namespace sketch {

/// PyTorch's dim wrapping: -1 is the last of `rank` dims. nullopt when out of range.
std::optional<size_t> normalizeDim(int64_t dim, size_t rank);

/// NumPy/PyTorch broadcasting of two shapes; nullopt when they are incompatible.
std::optional<std::vector<Dim>> broadcastShapes(const std::vector<Dim>& a, const std::vector<Dim>& b);

}  // namespace sketch
