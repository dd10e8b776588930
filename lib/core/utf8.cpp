#include "core/utf8.h"

namespace sketch {

std::optional<Utf8Char> decodeUtf8(std::string_view text) {
  if (text.empty()) return std::nullopt;
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) return Utf8Char{lead, 1};
  size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (length == 0 || text.size() < length) return std::nullopt;
  uint32_t codePoint = lead & (0x7F >> length);
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return std::nullopt;
    codePoint = (codePoint << 6) | (byte(i) & 0x3F);
  }
  constexpr uint32_t kShortest[] = {0, 0, 0x80, 0x800, 0x10000};
  bool surrogate = codePoint >= 0xD800 && codePoint <= 0xDFFF;
  if (codePoint < kShortest[length] || codePoint > 0x10FFFF || surrogate) return std::nullopt;
  return Utf8Char{codePoint, length};
}

std::string validUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    auto c = decodeUtf8(text.substr(i));
    if (c) {
      out.append(text.substr(i, c->length));
      i += c->length;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

}  // namespace sketch
