// Reading a TorchScript archive (torch.jit.script / torch.jit.save, or this kernel's
// output) back as a graph with weights.
//
// The forward code is walked, not run: values are tracked abstractly (a tensor is the graph
// port that makes it, a module is its path, anything else a constant), `self.training` is
// False, and conditions on constants are decided (`if self.downsample is not None`). A call
// of a torch.nn module that is a catalogue op becomes one block (script_import_table.h says
// how its arguments are read); a call of any other module becomes a group named after its
// class, walked in turn, so the sketch shows ResNet's BasicBlock as a block definition;
// aten calls in forward code become tensor-function blocks. What the walk cannot follow
// (control flow on tensor values, loops, unknown functions) is reported at its Python line.
#pragma once

#include <optional>
#include <string>

#include "kernel/kernel.h"

namespace sketch {

std::optional<ImportedModel> importTorchScript(const std::string& path, const ImportOptions& options,
                                               DiagnosticEngine& diags);

}  // namespace sketch
