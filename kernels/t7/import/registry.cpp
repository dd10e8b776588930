#include "registry.h"

#include <cstdio>
#include <cstdlib>

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

const ConverterRegistry& t7Importers() {
  static const ConverterRegistry registry = [] {
    ConverterRegistry r;
    registerContainerImporters(r);
    registerLayerImporters(r);
    registerRecurrentImporters(r);
    return r;
  }();
  return registry;
}

}  // namespace sketch::t7
