// The sketch that `sketch-import` writes for an imported model, checked: its text, the
// graph that text builds, and the weights under the text's parameter names. sketch-import
// writes it; convert compiles its graph, so that a conversion is exactly an import followed
// by a compile (block instances as groups, one TorchScript class per structure, ...).
#pragma once

#include <optional>
#include <string>

#include "diag/diagnostic.h"
#include "graph/graph.h"
#include "kernel/kernel.h"
#include "weights/tensor.h"

namespace sketch {

struct ImportedSketch {
  std::string text;
  Graph graph;          // built from `text`, which `sources` holds as `name`
  WeightStore weights;  // the model's tensors, renamed where the text renamed a block
  WeightStore bound;    // `weights` bound to the graph's parameters, as compile binds them
};

/// Raises `model` to sketch text (YAML when `yaml`) with a `weights` statement naming
/// `weightsDirective` (none when empty), and checks it: it must build, infer and need
/// exactly the imported tensors. Anything else is a bug in an importer or in raising,
/// reported as an internal error against `name`; nothing is returned then.
std::optional<ImportedSketch> importedSketch(const ImportedModel& model,
                                             const std::string& weightsDirective, bool yaml,
                                             const std::string& name, SourceManager& sources,
                                             DiagnosticEngine& diags);

}  // namespace sketch
