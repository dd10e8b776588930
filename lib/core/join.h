// Joining names into one string for messages and listings.
#pragma once

#include <string>

namespace sketch {

/// The strings of `items` (a vector, a set, ...) with `separator` between them.
template <class Strings>
std::string join(const Strings& items, const std::string& separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

}  // namespace sketch
