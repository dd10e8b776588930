// The import registry: nn class name -> converter into catalogue ops. One family per file
// (containers.cpp, layers.cpp, recurrent.cpp); registering a class twice aborts.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "import_context.h"

namespace sketch::t7 {

using Converter = std::optional<Flow> (*)(ImportContext& ctx, const Object& module,
                                          const std::string& path, const Flow& input);

class ConverterRegistry {
 public:
  void add(const std::string& className, Converter converter);
  Converter find(const std::string& className) const;

 private:
  std::map<std::string, Converter> converters_;
};

/// Every built-in converter.
const ConverterRegistry& t7Importers();

void registerContainerImporters(ConverterRegistry& registry);
void registerLayerImporters(ConverterRegistry& registry);
void registerRecurrentImporters(ConverterRegistry& registry);

}  // namespace sketch::t7
