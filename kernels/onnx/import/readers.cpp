#include "import/converter.h"
#include "onnx/defs/schema.h"
#include "onnx_ops.h"

namespace sketch::onnx_import {

std::optional<int> sinceVersion(const std::string& domain, const std::string& opType, int opset) {
  const onnx::OpSchema* schema = onnx::OpSchemaRegistry::Schema(opType, opset, domain);
  if (!schema) return std::nullopt;
  return schema->since_version();
}

const OnnxOp* findReader(const std::string& domain, const std::string& opType, int opset) {
  auto since = sinceVersion(domain, opType, opset);
  if (!domain.empty() || !since) return nullptr;  // the table reads the standard domain
  return onnxOps().reader(onnxReadKey(opType, *since));
}

}  // namespace sketch::onnx_import
