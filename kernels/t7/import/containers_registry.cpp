#include "containers_registry.h"

#include <cstdio>
#include <cstdlib>

#include "t7_ops.h"

namespace sketch::t7 {

void ConverterRegistry::add(const std::string& className, Converter converter) {
  if (!converters_.emplace(className, converter).second) {
    std::fprintf(stderr, "t7 importer for '%s' registered twice\n", className.c_str());
    std::abort();
  }
}

Converter ConverterRegistry::find(const std::string& className) const {
  auto it = converters_.find(className);
  return it == converters_.end() ? nullptr : it->second;
}

const ConverterRegistry& t7Containers() {
  static const ConverterRegistry registry = [] {
    ConverterRegistry r;
    registerContainerImporters(r);
    return r;
  }();
  return registry;
}

bool readsClass(const std::string& className) {
  return t7Containers().find(className) || t7Ops().reader(className);
}

}  // namespace sketch::t7
