// The exporter's emitters, one small function per op family in the family's file; the op
// table (../onnx_ops.cpp) says which catalogue ops each one writes. An emitter reads the
// node through EmitContext and adds ONNX nodes; `row` gives the ONNX op and the attributes
// the two sides spell differently.
#pragma once

#include "emit_context.h"
#include "onnx_ops.h"

namespace sketch {

// graph_ops.cpp
/// The node's inputs and outputs in order, its attributes through the row's attribute map.
void emitOneToOne(EmitContext& ctx, const OnnxOp& row);
void emitConstant(EmitContext& ctx, const OnnxOp& row);
void emitParameter(EmitContext& ctx, const OnnxOp& row);
void emitDropout(EmitContext& ctx, const OnnxOp& row);
bool supportsConstant(const Node& node);

// activation.cpp
void emitReLU6(EmitContext& ctx, const OnnxOp& row);
void emitHardtanh(EmitContext& ctx, const OnnxOp& row);
void emitHardsigmoid(EmitContext& ctx, const OnnxOp& row);
void emitHardswish(EmitContext& ctx, const OnnxOp& row);
void emitGELU(EmitContext& ctx, const OnnxOp& row);
void emitSiLU(EmitContext& ctx, const OnnxOp& row);
void emitMish(EmitContext& ctx, const OnnxOp& row);
void emitSoftplus(EmitContext& ctx, const OnnxOp& row);
void emitPReLU(EmitContext& ctx, const OnnxOp& row);

// elementwise.cpp
void emitBinary(EmitContext& ctx, const OnnxOp& row);  // Add, Sub: `alpha`; Mul; MatMul
void emitDiv(EmitContext& ctx, const OnnxOp& row);
void emitPow(EmitContext& ctx, const OnnxOp& row);
void emitClamp(EmitContext& ctx, const OnnxOp& row);
void emitWhere(EmitContext& ctx, const OnnxOp& row);

// conv.cpp
void emitConv(EmitContext& ctx, const OnnxOp& row);
void emitConvTranspose(EmitContext& ctx, const OnnxOp& row);

// pool.cpp
void emitPool(EmitContext& ctx, const OnnxOp& row);  // MaxPool, AveragePool
void emitAdaptivePool(EmitContext& ctx, const OnnxOp& row);
bool supportsAdaptivePool(const Node& node);

// norm.cpp
void emitBatchNorm(EmitContext& ctx, const OnnxOp& row);
void emitInstanceNorm(EmitContext& ctx, const OnnxOp& row);
void emitLayerNorm(EmitContext& ctx, const OnnxOp& row);
void emitGroupNorm(EmitContext& ctx, const OnnxOp& row);

// linear.cpp
void emitLinear(EmitContext& ctx, const OnnxOp& row);
void emitBilinear(EmitContext& ctx, const OnnxOp& row);
void emitEmbedding(EmitContext& ctx, const OnnxOp& row);

// tensor_ops.cpp
void emitConcat(EmitContext& ctx, const OnnxOp& row);
void emitSplit(EmitContext& ctx, const OnnxOp& row);  // Split, Chunk
void emitSlice(EmitContext& ctx, const OnnxOp& row);
void emitSelect(EmitContext& ctx, const OnnxOp& row);
void emitReshape(EmitContext& ctx, const OnnxOp& row);  // Reshape, Flatten, Unflatten
void emitPermute(EmitContext& ctx, const OnnxOp& row);
void emitTranspose(EmitContext& ctx, const OnnxOp& row);
void emitSqueeze(EmitContext& ctx, const OnnxOp& row);
void emitUnsqueeze(EmitContext& ctx, const OnnxOp& row);
void emitReduce(EmitContext& ctx, const OnnxOp& row);  // Mean, Sum
void emitMax(EmitContext& ctx, const OnnxOp& row);

// resize.cpp
void emitPad(EmitContext& ctx, const OnnxOp& row);
void emitPixelShuffle(EmitContext& ctx, const OnnxOp& row);
void emitUpsample(EmitContext& ctx, const OnnxOp& row);

// recurrent.cpp
void emitRecurrent(EmitContext& ctx, const OnnxOp& row);  // RNN, LSTM, GRU
bool supportsRecurrent(const Node& node);

// attention.cpp
void emitMultiheadAttention(EmitContext& ctx, const OnnxOp& row);
void emitTransformerLayer(EmitContext& ctx, const OnnxOp& row);

// loss.cpp
void emitClassificationLoss(EmitContext& ctx, const OnnxOp& row);  // CrossEntropy, NLL
void emitMSELoss(EmitContext& ctx, const OnnxOp& row);
void emitL1Loss(EmitContext& ctx, const OnnxOp& row);
void emitSmoothL1Loss(EmitContext& ctx, const OnnxOp& row);  // SmoothL1, Huber
void emitKLDivLoss(EmitContext& ctx, const OnnxOp& row);
void emitBCELoss(EmitContext& ctx, const OnnxOp& row);
void emitBCEWithLogitsLoss(EmitContext& ctx, const OnnxOp& row);

}  // namespace sketch
