#include "ops/dims.h"

namespace sketch {

std::optional<size_t> normalizeDim(int64_t dim, size_t rank) {
  int64_t r = static_cast<int64_t>(rank);
  if (dim < -r || dim >= r) return std::nullopt;
  return static_cast<size_t>(dim < 0 ? dim + r : dim);
}

std::optional<std::vector<Dim>> broadcastShapes(const std::vector<Dim>& a, const std::vector<Dim>& b) {
  size_t rank = std::max(a.size(), b.size());
  std::vector<Dim> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Align from the right; a missing dim acts as 1.
    Dim da = i < rank - a.size() ? Dim::known(1) : a[i - (rank - a.size())];
    Dim db = i < rank - b.size() ? Dim::known(1) : b[i - (rank - b.size())];
    if (da == db || (db.isKnown() && db.value() == 1))
      out[i] = da;
    else if (da.isKnown() && da.value() == 1)
      out[i] = db;
    else
      return std::nullopt;
  }
  return out;
}

}  // namespace sketch
