// Reading a model for a command: a sketch is parsed and checked, any file a kernel can
// import (.onnx, .t7, .pth) is imported and its shapes inferred. Commands that accept both
// (diff, render) and the import paths (sketch-import, convert) share these, so a model
// reads the same way everywhere.
#pragma once

#include <optional>
#include <string>

#include "core/file_system.h"
#include "diag/diagnostic.h"
#include "kernel/kernel_registry.h"

namespace sketch {

/// Imports `path` with the kernel named `kernel` (empty: the one for its extension) and
/// infers shapes; the graph is named after the file. Nothing once an error is reported.
std::optional<ImportedModel> importModelFile(const KernelRegistry& kernels, const std::string& kernel,
                                             const std::string& path, const ImportOptions& options,
                                             DiagnosticEngine& diags);

/// The checked graph of a sketch, or of a model when a kernel claims its extension.
/// Nothing once an error is reported.
std::optional<Graph> loadGraph(const std::string& path, const KernelRegistry& kernels, FileSystem& fs,
                               SourceManager& sources, DiagnosticEngine& diags);

}  // namespace sketch
