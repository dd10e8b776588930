#include "kernel/kernel_registry.h"

#include <cstdio>
#include <cstdlib>

namespace sketch {

void KernelRegistry::add(std::unique_ptr<Kernel> kernel) {
  if (find(kernel->name())) {
    std::fprintf(stderr, "internal error: kernel '%s' registered twice\n", kernel->name().c_str());
    std::abort();
  }
  kernels_.push_back(std::move(kernel));
}

const Kernel* KernelRegistry::find(const std::string& name) const {
  for (const auto& k : kernels_)
    if (k->name() == name) return k.get();
  return nullptr;
}

const Kernel* KernelRegistry::forPath(const std::string& path) const {
  const Kernel* best = nullptr;
  size_t bestLength = 0;
  for (const auto& k : kernels_)
    for (const std::string& ext : k->extensions())
      if (ext.size() > bestLength && path.size() >= ext.size() &&
          path.compare(path.size() - ext.size(), ext.size(), ext) == 0) {
        best = k.get();
        bestLength = ext.size();
      }
  return best;
}

std::vector<std::string> KernelRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& k : kernels_) out.push_back(k->name());
  return out;
}

void KernelRegistry::setDeferredSource(DeferredSource source) { deferred_ = std::move(source); }

bool KernelRegistry::loadDeferred(DiagnosticEngine& diags) const {
  if (!deferred_) return false;
  DeferredSource source = std::move(deferred_);
  deferred_ = nullptr;
  source(const_cast<KernelRegistry&>(*this), diags);
  return true;
}

}  // namespace sketch
