// Binding a weights file to the parameters a graph needs.
//
// The graph (not this code) lists every parameter it needs by full name, PyTorch's
// state_dict key (`layer1.0.conv1.weight`). Binding takes each from the loaded file when
// present, converts dtypes as convert.h allows, and initialises the rest (initialize.h).
// Nothing is initialised without a word: parameters initialised for want of a file or of a
// tensor, and tensors that match no parameter, are each one grouped warning (a count and
// the first names; every name in the log at -v). A tensor of the wrong shape is an error at
// the block instance that owns it, unless the caller asked to re-initialise such
// parameters (an edited width); a wrong dtype is always an error. Depends on core/, diag/
// and ops/op_def.h; not on the graph.
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
  Span instance;     // the outermost block instance holding it; invalid at the top level
};

/// What binding does with a tensor whose shape no longer fits its parameter.
enum class OnShapeMismatch {
  Error,         // report it: the sketch and the weights disagree
  Reinitialise,  // initialise the parameter and list it (compile --reinit-mismatched)
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
                        const std::string& weightsFile, uint64_t seed, DiagnosticEngine& diags,
                        OnShapeMismatch onMismatch = OnShapeMismatch::Error);

}  // namespace sketch
