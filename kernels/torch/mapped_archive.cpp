#include "mapped_archive.h"

#include <algorithm>
#include <cstring>

namespace sketch {

namespace {

uint64_t littleEndian(const char* bytes, int size) {
  uint64_t value = 0;
  for (int i = size; i-- > 0;) value = value << 8 | uint8_t(bytes[i]);
  return value;
}

}  // namespace

size_t MappedFileAdapter::read(uint64_t pos, void* buf, size_t n, const char*) const {
  if (pos >= file_->size()) return 0;
  n = std::min<uint64_t>(n, file_->size() - pos);
  std::memcpy(buf, file_->data() + pos, n);
  return n;
}

std::optional<std::string_view> storedRecord(std::string_view archive, uint64_t dataOffset,
                                             const std::string& name, uint64_t size) {
  constexpr uint64_t kHeader = 30, kMaxField = 0xFFFF, kMax32 = 0xFFFFFFFF;
  const std::string suffix = "/" + name;
  if (dataOffset > archive.size() || dataOffset < kHeader + suffix.size() ||
      size > archive.size() - dataOffset)
    return std::nullopt;
  const char* data = archive.data() + dataOffset;
  uint64_t lowest = dataOffset - std::min(dataOffset, kHeader + 2 * kMaxField);
  for (uint64_t at = dataOffset - kHeader - suffix.size() + 1; at-- > lowest;) {
    const char* header = archive.data() + at;
    if (std::memcmp(header, "PK\x03\x04", 4) != 0) continue;
    uint64_t nameSize = littleEndian(header + 26, 2), extraSize = littleEndian(header + 28, 2);
    if (at + kHeader + nameSize + extraSize != dataOffset || nameSize < suffix.size() ||
        std::string_view(header + kHeader + nameSize - suffix.size(), suffix.size()) != suffix)
      continue;
    uint64_t flags = littleEndian(header + 6, 2), method = littleEndian(header + 8, 2);
    if (method != 0 || (flags & 1) != 0) return std::nullopt;  // compressed, or encrypted
    uint64_t stored = littleEndian(header + 22, 4);
    if (flags & 8) {  // sized after the data: "PK\x07\x08", CRC-32, two sizes of 8 or 4 bytes
      uint64_t room = archive.size() - dataOffset - size;
      const char* descriptor = data + size;
      bool wide = room >= 24 && littleEndian(descriptor + 8, 8) == size &&
                  littleEndian(descriptor + 16, 8) == size;
      bool narrow = room >= 16 && littleEndian(descriptor + 8, 4) == size &&
                    littleEndian(descriptor + 12, 4) == size;
      if (room < 16 || std::memcmp(descriptor, "PK\x07\x08", 4) != 0 || !(wide || narrow))
        return std::nullopt;
      stored = size;
    } else if (stored == kMax32) {  // ZIP64: the 64-bit size opens the extra block 0x0001
      std::string_view extra(header + kHeader + nameSize, extraSize);
      while (extra.size() >= 4 && stored == kMax32) {
        uint64_t id = littleEndian(extra.data(), 2), blockSize = littleEndian(extra.data() + 2, 2);
        if (blockSize > extra.size() - 4) break;
        if (id == 1 && blockSize >= 8) stored = littleEndian(extra.data() + 4, 8);
        extra.remove_prefix(4 + blockSize);
      }
    }
    if (stored != size) return std::nullopt;
    return std::string_view(data, size);
  }
  return std::nullopt;
}

}  // namespace sketch
