// The containers an importer reads: nn class name -> converter of its children. Containers
// are structure, not ops; the classes that read as catalogue ops are the op table's rows
// (../t7_ops.cpp). Registering a class twice aborts.
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

/// Sequential, ConcatTable, ParallelTable, Concat, DepthConcat.
const ConverterRegistry& t7Containers();

void registerContainerImporters(ConverterRegistry& registry);

/// Whether the importer reads `className`: a container or a row of the op table.
bool readsClass(const std::string& className);

}  // namespace sketch::t7
