// LibTorch's CPU allocator for the kernel: the default one, with large tensors on
// transparent huge pages.
#pragma once

namespace sketch {

/// Makes LibTorch's CPU allocations ask for transparent huge pages (core/huge_pages.h).
/// Large tensors that LibTorch fills (a record a zip tool compressed, which cannot stay in
/// the mapped archive; a weight made contiguous or aligned for export) would otherwise cost
/// a page fault per 4 KB, which on a virtual machine takes longer than copying the bytes.
/// PyTorch 2.1 does the same behind THP_MEM_ALLOC_ENABLE. Call it before the first tensor
/// is allocated; without THP the advice is ignored.
void allocateLargeTensorsOnHugePages();

}  // namespace sketch
