// Binding a weights file to the parameters a graph needs.
//
// The graph (not this code) lists every parameter it needs by full name, PyTorch's
// state_dict key (`layer1.0.conv1.weight`). Binding takes each from the loaded file when
// present, converts dtypes as convert.h allows, and initialises the rest (initialize.h).
// Problems go to the DiagnosticEngine: tensors missing from the file and tensors that match
// no parameter are each one grouped warning (a count and the first names), a wrong shape or
// dtype is one error per tensor at the owning block's span. Depends on core/, diag/ and
// ops/op_def.h; not on the graph.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "ops/op_def.h"
#include "weights/tensor.h"

namespace sketch {

/// One parameter (or buffer) the model needs.
struct ParamRequest {
  std::string name;  // full name: node path + "." + spec.name
  ParamSpec spec;
  Span span;         // the block that owns it; invalid when there is none
};

/// Reads a safetensors weights file, reporting an absent file (FileNotFound), an unreadable
/// one (FileUnreadable) or a malformed one (WeightsFormat) at `statement` (the `weights`
/// line) when valid, else against the file itself.
std::optional<WeightStore> loadWeights(const std::string& path, DiagnosticEngine& diags,
                                       Span statement = {});

/// The model's weights, in `params` order: tensors of `loaded` (may be null: no weights
/// file) bound by name, the others initialised from `seed`. `weightsFile` names the file
/// in messages. Requests repeating an earlier name are bound once.
WeightStore bindWeights(const std::vector<ParamRequest>& params, const WeightStore* loaded,
                        const std::string& weightsFile, uint64_t seed,
                        DiagnosticEngine& diags);

}  // namespace sketch
