#include "huge_page_allocator.h"

#include <c10/core/CPUAllocator.h>

#include "core/huge_pages.h"

namespace sketch {

namespace {

/// The default allocator, its memory advised before anything touches it.
class HugePageAllocator final : public c10::Allocator {
 public:
  explicit HugePageAllocator(c10::Allocator* base) : base_(base) {}

  c10::DataPtr allocate(size_t size) const override {
    c10::DataPtr data = base_->allocate(size);
    adviseHugePages(data.get(), size);
    return data;
  }

  // The base allocator's memory and deleter: raw allocations are freed as before.
  c10::DeleterFnPtr raw_deleter() const override { return base_->raw_deleter(); }

 private:
  c10::Allocator* base_;
};

}  // namespace

void allocateLargeTensorsOnHugePages() {
  static HugePageAllocator allocator(c10::GetDefaultCPUAllocator());
  c10::SetCPUAllocator(&allocator, /*priority=*/1);
}

}  // namespace sketch
