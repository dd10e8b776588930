// The importer's converters, one small function per foreign op family in the family's file
// (conv.cpp, pool.cpp, ...); the op table (../onnx_ops.cpp) says which ONNX op and
// since-versions each one reads. A converter reads one ONNX node through ConvertContext
// and emits catalogue nodes; `row` names the catalogue op or family it reads into.
#pragma once

#include "import/converter.h"
#include "onnx_ops.h"

namespace sketch::onnx_import {

// one_to_one.cpp
/// The node's inputs and outputs in order as the row's op, its attributes through the
/// row's attribute map.
bool importOneToOne(ConvertContext& ctx, const OnnxOp& row);

// activation.cpp
bool importClip(ConvertContext& ctx, const OnnxOp& row);  // ReLU6, ReLU, Hardtanh or Clamp
bool importHardSigmoid(ConvertContext& ctx, const OnnxOp& row);
bool isTorchHardsigmoid(const ConvertContext& ctx);  // alpha=1/6, beta=0.5
/// Shrink as Hardshrink (bias 0) or Softshrink (bias = lambd).
bool importShrink(ConvertContext& ctx, const OnnxOp& row);
bool importPRelu(ConvertContext& ctx, const OnnxOp& row);

// elementwise.cpp
bool importPow(ConvertContext& ctx, const OnnxOp& row);

// decomposed_activations.cpp: each op, or the activation torch.onnx.export decomposes
// starting there (GELU from Div or Mul, SiLU from Sigmoid, Mish from Softplus, Hardswish
// from HardSigmoid)
bool importDiv(ConvertContext& ctx, const OnnxOp& row);
bool importMul(ConvertContext& ctx, const OnnxOp& row);
bool importSigmoid(ConvertContext& ctx, const OnnxOp& row);
bool importSoftplus(ConvertContext& ctx, const OnnxOp& row);
bool importHardSigmoidOrSwish(ConvertContext& ctx, const OnnxOp& row);

// conv.cpp
bool importConv(ConvertContext& ctx, const OnnxOp& row);  // Conv and ConvTranspose

// gemm.cpp
bool importGemm(ConvertContext& ctx, const OnnxOp& row);
bool importMatMul(ConvertContext& ctx, const OnnxOp& row);  // Linear (+ Add) or MatMul

// pool.cpp
bool importPool(ConvertContext& ctx, const OnnxOp& row);  // MaxPool and AveragePool
bool importGlobalPool(ConvertContext& ctx, const OnnxOp& row);

// norm.cpp
bool importBatchNorm(ConvertContext& ctx, const OnnxOp& row);
bool importLayerNorm(ConvertContext& ctx, const OnnxOp& row);
bool importInstanceNorm(ConvertContext& ctx, const OnnxOp& row);

// shape.cpp
bool importReshape(ConvertContext& ctx, const OnnxOp& row);  // Flatten when it is one
bool importFlatten(ConvertContext& ctx, const OnnxOp& row);
bool importTranspose(ConvertContext& ctx, const OnnxOp& row);  // Transpose or Permute
bool importSqueeze(ConvertContext& ctx, const OnnxOp& row);    // Squeeze and Unsqueeze
bool importSlice(ConvertContext& ctx, const OnnxOp& row);
bool importGather(ConvertContext& ctx, const OnnxOp& row);  // Embedding or Select

// reduce.cpp
bool importReduce(ConvertContext& ctx, const OnnxOp& row);  // Mean (or a LayerNorm), Sum

// recurrent.cpp
bool importRecurrent(ConvertContext& ctx, const OnnxOp& row);  // LSTM, GRU, RNN

// dropout.cpp
bool importDropout(ConvertContext& ctx, const OnnxOp& row);

// pad.cpp
bool importPad(ConvertContext& ctx, const OnnxOp& row);

}  // namespace sketch::onnx_import
