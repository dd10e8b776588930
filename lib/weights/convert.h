// Element type conversion for binding weights to parameters.
//
// The rule follows PyTorch's load_state_dict, which copies with Tensor.copy_ and so casts
// silently: a floating-point tensor (float16, bfloat16, float32, float64) binds a float32
// or float64 parameter, and an integer tensor widens into an int64 parameter (int64 buffers
// such as num_batches_tracked are the only integer parameters). Everything else, bool
// included, must match exactly. float64 into float32 rounds to nearest even, as copy_ does.
#pragma once

#include "weights/tensor.h"

namespace sketch {

/// Whether a tensor of dtype `from` may bind a parameter of dtype `to`.
bool isConvertible(DType from, DType to);

/// `tensor` as dtype `to` (the same tensor when the dtypes match). Requires
/// isConvertible(tensor.dtype(), to); may throw std::bad_alloc.
Tensor convertTensor(const Tensor& tensor, DType to);

}  // namespace sketch
