// Helpers shared by the tensor-function, sequence, attention and loss op families: dim
// attributes checked against an input, dtype promotion and common MAC rules. Private to
// lib/ops; depends only on the op definition API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ops/shape_context.h"

namespace sketch {

/// "[N, 3, 32]" for a list of dims.
std::string dimsString(const std::vector<Dim>& dims);

/// Wraps `dim` (the value of attribute `attr`, or one item of it) for input `input`, PyTorch's
/// way; reports "<label> has dim 4, out of range for a 2-D input: 'x' gives [N, 3]" when out
/// of range. `rank` is passed separately because Unsqueeze wraps over one more dim.
std::optional<size_t> resolveDim(ShapeContext& ctx, const std::string& attr, int64_t dim,
                                 size_t input, size_t rank);

/// A string attribute limited to `choices`; a none default makes it optional
/// (rounding_mode=None).
AttrDef stringAttr(std::string name, Value defaultValue, std::vector<std::string> choices,
                   std::string doc);

/// A trained float32 tensor (not a buffer) with PyTorch's default init.
ParamSpec learned(std::string name, std::vector<int64_t> shape, Init init);

/// torch.result_type for two tensors: floating beats integral, wider beats narrower.
DType promoteTypes(DType a, DType b);

/// Integral inputs of float-only functions (sqrt, mean, ...) compute in float32.
DType floatResult(DType dtype);

/// For ops that do no multiply-accumulates (elementwise, views, reductions, losses).
int64_t zeroMacs(const Attrs&, const std::vector<TensorType>&, const std::vector<TensorType>&);

/// Product of dims with symbolic dims counted as 1 (MACs are per sample).
int64_t elementsPerSample(const std::vector<Dim>& dims);

}  // namespace sketch
