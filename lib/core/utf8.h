// UTF-8 decoding for what is shown to people and programs: a sketch may hold any bytes,
// but a diagnostic or a JSON report must be valid UTF-8.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sketch {

struct Utf8Char {
  uint32_t codePoint;
  size_t length;  // in bytes, 1 to 4
};

/// The character that `text` starts with; nothing when its first bytes are not valid UTF-8
/// (a stray continuation byte, a truncated or overlong sequence, a surrogate).
std::optional<Utf8Char> decodeUtf8(std::string_view text);

/// `text` with each byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string validUtf8(std::string_view text);

}  // namespace sketch
