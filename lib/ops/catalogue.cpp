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

const OpDef* OpCatalogue::find(const std::string& name) const {
  auto it = ops_.find(name);
  return it == ops_.end() ? nullptr : it->second.get();
}

const OpCatalogue& catalogue() {
  // Initialised exactly once even when first calls race (the threads of a batch check):
  // C++11 makes function-local statics thread-safe, and the catalogue is read-only after.
  static const OpCatalogue instance = [] {
    OpCatalogue c;
    registerAllOps(c);
    return c;
  }();
  return instance;
}

}  // namespace sketch
