// The tables a Lua kernel's export function receives: the checked graph as `model` and the
// weights as `weights` (layout documented in man/sketch-kernels.7).
//
// Nodes come in topological order and reference each other directly (an input's `node` is
// the producer's table), so kernels walk the graph without id bookkeeping. Weights are
// metadata plus a light userdata pointer to the bytes: ffi.cast reads them in place.
#pragma once

#include "diag/source_manager.h"
#include "graph/graph.h"
#include "weights/tensor.h"

struct lua_State;

namespace sketch {

/// Pushes the model table.
void pushModel(lua_State* L, const Graph& graph, const SourceManager& sources);
/// Pushes the weights table: an array in store order, also indexed by full name.
void pushWeights(lua_State* L, const WeightStore& weights);
/// Pushes the table for one tensor: name, dtype, shape, numel, nbytes, data.
void pushTensor(lua_State* L, const std::string& name, const Tensor& tensor);

}  // namespace sketch
