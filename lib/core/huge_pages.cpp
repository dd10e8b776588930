#include "core/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>

namespace sketch {

void adviseHugePages(void* data, size_t size) {
  constexpr uintptr_t kHugePage = uintptr_t(2) << 20;
  auto begin = reinterpret_cast<uintptr_t>(data);
  uintptr_t first = (begin + kHugePage - 1) & ~(kHugePage - 1);
  uintptr_t last = (begin + size) & ~(kHugePage - 1);
  // Only whole huge pages: the advice must not reach memory outside the block.
  if (first < last) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

}  // namespace sketch
