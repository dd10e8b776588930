// The Torch7 kernel: `.t7` files that Lua Torch's torch.load reads (nn modules with their
// weights), an optional Lua script that rebuilds the model, and import of real `.t7` models.
// The object model, reader and writer are t7_object/t7_reader/t7_writer; export/ maps
// catalogue ops to nn classes and arranges the graph as containers; import/ maps nn classes
// back to catalogue ops. This class only joins them.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "kernel/kernel.h"

namespace sketch {

std::unique_ptr<Kernel> makeT7Kernel();

/// --ascii: torch.save's ascii format instead of binary.
const KernelOption& asciiOption();
/// --dtype: FloatTensor (float32) or DoubleTensor (float64) modules.
const KernelOption& dtypeOption();
/// --emit-lua: OUT.lua beside the model, a script that rebuilds it.
const KernelOption& emitLuaOption();

/// Writes `graph` as a `.t7` file (and, with --emit-lua, `<out>.lua` beside it) (export/).
bool exportT7(const Graph& graph, const WeightStore& weights, const ExportOptions& options,
              DiagnosticEngine& diags);
/// Reads a `.t7` model as a graph plus weights (import/).
std::optional<ImportedModel> importT7(const std::string& path, const ImportOptions& options,
                                      DiagnosticEngine& diags);

}  // namespace sketch
