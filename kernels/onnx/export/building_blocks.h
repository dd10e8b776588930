// Building blocks several emitters share: reductions that changed form between opsets,
// reshapes that keep a symbolic batch dim dynamic, affine maps and layer normalisation.
#pragma once

#include <string>
#include <vector>

#include "emit_context.h"

namespace sketch {

/// ReduceMean/ReduceSum/ReduceMax over `axes`; ReduceSum takes axes as an input from opset 13,
/// the others as an attribute until 18.
std::string reduce(EmitContext& ctx, const std::string& onnxOp, const std::string& x,
                   const std::vector<int64_t>& axes, bool keepdims);
/// Reshapes `x` of type `from` to `to`. Known sizes are written as constants, symbolic ones
/// are copied (0) or gathered from x's runtime shape, and at most one is left to -1, so the
/// batch dim stays dynamic.
std::string reshapeTo(EmitContext& ctx, const std::string& x, const TensorType& from,
                      const TensorType& to);
/// x W^T + b over x's last dim (b may be ""), as nn.Linear computes it.
std::string linear(EmitContext& ctx, const std::string& x, const std::string& weight,
                   const std::string& bias);
/// LayerNorm over the last `axes` dims: LayerNormalization from opset 17, the same
/// arithmetic spelled out before. `weight` and `bias` may be "".
std::string layerNorm(EmitContext& ctx, const std::string& x, int64_t axes, double eps,
                      const std::string& weight, const std::string& bias);
/// Spatial dims of a windowed op (Conv2d, MaxPool2d: 2, the rank of kernel_size); gives an
/// unbatched input its batch dim (EmitContext::addBatchDim).
size_t windowRank(EmitContext& ctx);
/// Adaptive average or max pooling to the node's output size (pool.cpp): global pools, or
/// per-axis slices of torch's cells.
void adaptivePool(EmitContext& ctx, bool isMax);
/// Positive axis for a possibly negative torch dim.
int64_t positiveAxis(int64_t dim, size_t rank);

}  // namespace sketch
