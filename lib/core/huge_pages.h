// Transparent huge pages for large blocks of fresh memory. Depends on POSIX.
#pragma once

#include <cstddef>

namespace sketch {

/// Asks the kernel to back the 2 MB pages that lie wholly inside [data, data + size) with
/// transparent huge pages when they are first touched. Filling fresh memory otherwise costs
/// a page fault per 4 KB, which on a virtual machine takes longer than writing the bytes.
/// Call it before the block is written. Advice only: without THP nothing changes, and
/// untouched pages still cost no memory.
void adviseHugePages(void* data, size_t size);

}  // namespace sketch
