#include "core/huge_pages.h"

#include <doctest/doctest.h>
#include <sys/mman.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

using namespace sketch;

namespace {

constexpr uintptr_t kHugePage = uintptr_t(2) << 20;

/// Whether the mapping that holds `address` carries the huge-page advice ("hg" in the
/// VmFlags of /proc/self/smaps).
bool advised(const char* address) {
  auto at = reinterpret_cast<uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    uintptr_t begin = 0, end = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> begin >> dash >> end && dash == '-') {
      inside = begin <= at && at < end;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return (line + " ").find(" hg ") != std::string::npos;
    }
  }
  FAIL("no mapping holds the address");
  return false;
}

}  // namespace

TEST_CASE("adviseHugePages advises the whole huge pages inside a block and nothing else") {
  // A mapping of our own, so that nothing else's advice shows in its flags.
  void* mapping = ::mmap(nullptr, 8 * kHugePage, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(mapping != MAP_FAILED);
  char* aligned = reinterpret_cast<char*>(
      (reinterpret_cast<uintptr_t>(mapping) + kHugePage - 1) & ~(kHugePage - 1));

  // From 4 KB into one huge page to 4 KB into the fourth: two whole huge pages inside.
  char* block = aligned + 4096;
  adviseHugePages(block, 3 * kHugePage);
  CHECK_FALSE(advised(block));
  CHECK(advised(aligned + kHugePage));
  CHECK(advised(aligned + 3 * kHugePage - 1));
  CHECK_FALSE(advised(aligned + 3 * kHugePage));

  // A block that holds no whole huge page is left alone.
  adviseHugePages(aligned + 4 * kHugePage + 4096, kHugePage);
  CHECK_FALSE(advised(aligned + 5 * kHugePage - 1));
  ::munmap(mapping, 8 * kHugePage);
}
