#include <cstdio>
#include <cstdlib>

#include "import/converter.h"
#include "import/families.h"
#include "onnx/defs/schema.h"

namespace sketch::onnx_import {

void ConverterRegistry::add(ConverterKey key, Converter converter) {
  if (converters_.count(key)) {
    std::fprintf(stderr, "onnx importer: converter for %s%s%s version %d registered twice\n",
                 key.domain.c_str(), key.domain.empty() ? "" : ".", key.opType.c_str(),
                 key.sinceVersion);
    std::abort();
  }
  converters_.emplace(std::move(key), std::move(converter));
}

void ConverterRegistry::addVersions(const std::string& opType, std::initializer_list<int> versions,
                                    const Converter& converter) {
  for (int version : versions) add({"", opType, version}, converter);
}

std::optional<int> ConverterRegistry::sinceVersion(const std::string& domain,
                                                   const std::string& opType, int opset) {
  const onnx::OpSchema* schema = onnx::OpSchemaRegistry::Schema(opType, opset, domain);
  if (!schema) return std::nullopt;
  return schema->since_version();
}

const Converter* ConverterRegistry::find(const std::string& domain, const std::string& opType,
                                         int opset) const {
  auto since = sinceVersion(domain, opType, opset);
  if (!since) return nullptr;
  auto it = converters_.find({domain, opType, *since});
  return it == converters_.end() ? nullptr : &it->second;
}

const ConverterRegistry& onnxImporters() {
  static const ConverterRegistry registry = [] {
    ConverterRegistry r;
    registerConvImporters(r);
    registerGemmImporters(r);
    registerActivationImporters(r);
    registerPoolImporters(r);
    registerNormImporters(r);
    registerShapeImporters(r);
    registerElementwiseImporters(r);
    registerReduceImporters(r);
    registerRecurrentImporters(r);
    registerDropoutImporters(r);
    registerPadImporters(r);
    return r;
  }();
  return registry;
}

}  // namespace sketch::onnx_import
