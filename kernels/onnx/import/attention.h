// The self-attention pattern torch writes for nn.MultiheadAttention, tried by the MatMul
// converter on its input projection (attention.cpp).
#pragma once

#include "import/converter.h"

namespace sketch::onnx_import {

/// Converts the chain starting at this MatMul into one MultiheadAttention; false (with
/// nothing emitted and nothing reported) when the chain is not that pattern.
bool importSelfAttention(ConvertContext& ctx);

}  // namespace sketch::onnx_import
