// LibTorch's CPU allocator for the kernel: the default one, with large tensors on
// transparent huge pages.
#pragma once

namespace sketch {

/// Makes LibTorch's CPU allocations ask for transparent huge pages (core/huge_pages.h).
/// Reading a TorchScript archive copies every weight record into freshly allocated memory;
/// on 4 KB pages each 4 KB of it costs a page fault, which on a virtual machine takes
/// longer than copying the bytes. PyTorch 2.1 does the same behind THP_MEM_ALLOC_ENABLE.
/// Call it before the first tensor is allocated; without THP the advice is ignored.
void allocateLargeTensorsOnHugePages();

}  // namespace sketch
