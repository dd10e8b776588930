#include "ops/catalogue.h"

#include <cstdio>
#include <cstdlib>

#include "ops/all_ops.h"

namespace sketch {

void OpCatalogue::add(OpDef def) {
  std::string name = def.name();
  if (ops_.count(name)) {
    std::fprintf(stderr, "internal error: op '%s' registered twice\n", name.c_str());
    std::abort();
  }
  ops_.emplace(name, std::make_unique<OpDef>(std::move(def)));
  names_.push_back(name);
}

bool OpCatalogue::addExtension(OpDef def) {
  std::string name = def.name();
  if (ops_.count(name) || extensions_.count(name)) return false;
  extensions_.emplace(name, std::make_unique<OpDef>(std::move(def)));
  names_.push_back(name);
  return true;
}

void OpCatalogue::setExtensionLoader(std::function<void()> loader) { loader_ = std::move(loader); }

const OpDef* OpCatalogue::find(const std::string& name) const {
  auto it = ops_.find(name);
  if (it != ops_.end()) return it->second.get();
  // The threads of a batch check may miss at once: one loads while the others wait. The
  // mutex is recursive because the loader itself looks ops up.
  std::lock_guard<std::recursive_mutex> lock(loadMutex_);
  if (loader_) {
    std::function<void()> loader = std::move(loader_);
    loader_ = nullptr;
    loader();
  }
  auto ext = extensions_.find(name);
  return ext == extensions_.end() ? nullptr : ext->second.get();
}

OpCatalogue& extensibleCatalogue() {
  // Initialised exactly once even when first calls race (the threads of a batch check):
  // C++11 makes function-local statics thread-safe.
  static OpCatalogue instance;
  static const bool registered = (registerAllOps(instance), true);
  (void)registered;
  return instance;
}

const OpCatalogue& catalogue() { return extensibleCatalogue(); }

}  // namespace sketch
