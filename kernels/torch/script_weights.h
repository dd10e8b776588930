// The parameters and buffers of a TorchScript archive (torch.jit.save, or this kernel's
// output), by state_dict name: what `sketchc compile --weights model.pt` binds.
#pragma once

#include <optional>
#include <string>

#include "diag/diagnostic.h"
#include "weights/tensor.h"

namespace sketch {

/// Loads the archive with torch::jit::load (its methods are compiled, never run: an archive
/// with a __setstate__ was refused by classifyTorchFile) and views every parameter and
/// buffer. Returns nothing after reporting.
std::optional<WeightStore> readTorchScriptWeights(const std::string& path, DiagnosticEngine& diags);

}  // namespace sketch
