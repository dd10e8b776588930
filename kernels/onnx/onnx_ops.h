// The ONNX kernel's op table (lib/kernel/op_mapping.h): one row per catalogue op or family
// with the ONNX op, the attributes the two spell differently, the emitter that writes it
// (export/) and the converter that reads it back (import/, by the since-versions it serves).
// onnx_ops.cpp is the one place where catalogue op names meet ONNX.
#pragma once

#include <string>
#include <vector>

#include "kernel/op_mapping.h"

namespace sketch {

class EmitContext;
namespace onnx_import {
class ConvertContext;
}

struct OnnxOp;
/// Writes one graph node as ONNX nodes.
using OnnxEmitFn = void (*)(EmitContext& ctx, const OnnxOp& row);
/// Reads one ONNX node of the row's op as catalogue nodes; false after reporting why.
using OnnxImportFn = bool (*)(onnx_import::ConvertContext& ctx, const OnnxOp& row);

struct OnnxOp : OpMappingRow<OnnxOp> {
  using OpMappingRow::OpMappingRow;

  OnnxEmitFn emit = nullptr;     // null: the row only reads
  OnnxImportFn import = nullptr;  // null: the row only writes
  std::vector<int> versions;     // since-versions of `foreign` that `import` reads

  OnnxOp& exportWith(OnnxEmitFn fn) {
    emit = fn;
    return *this;
  }
  /// Reads `foreign` at each of `sinceVersions`; one converter serves an op from each
  /// since-version to the op's next change.
  OnnxOp& importWith(OnnxImportFn fn, std::vector<int> sinceVersions) {
    import = fn;
    versions = std::move(sinceVersions);
    return *this;
  }
  bool exports() const { return emit != nullptr; }
  std::vector<std::string> readKeys() const;
};

/// How the table keys a reader: the ONNX op and the since-version a model's opset
/// resolves it to ("Relu@14").
std::string onnxReadKey(const std::string& opType, int sinceVersion);

/// The table, built and checked on first use.
const OpMappingTable<OnnxOp>& onnxOps();

}  // namespace sketch
