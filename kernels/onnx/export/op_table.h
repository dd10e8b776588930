// The exporter's op table: catalogue op name -> how it becomes ONNX.
//
// One declarative table (op_table.cpp) is the only place that names catalogue ops. An entry
// gives the ONNX op for the simple one-to-one cases, the emitter function (one small
// function per op family, in the family's file), and, where some attribute values have no
// ONNX form, a predicate that onnxSupports() asks. Emitters are declared here.
#pragma once

#include <string>

#include "emit_context.h"

namespace sketch {

using EmitFn = void (*)(EmitContext& ctx, const char* onnxOp);
using SupportFn = bool (*)(const Node& node);

struct OpEmitter {
  const char* op;      // catalogue name (`Conv2d`)
  const char* onnxOp;  // the ONNX op for one-to-one mappings, else nullptr
  EmitFn emit;
  SupportFn supports;  // nullptr: every attribute value is expressible
};

/// The entry for a catalogue op, or null when ONNX cannot express the op at all.
const OpEmitter* findEmitter(const std::string& op);
/// Every entry, in table order.
const std::vector<OpEmitter>& emitterTable();

// graph_ops.cpp
void emitUnary(EmitContext& ctx, const char* onnxOp);
void emitConstant(EmitContext& ctx, const char* onnxOp);
void emitParameter(EmitContext& ctx, const char* onnxOp);
bool supportsConstant(const Node& node);

// activation.cpp
void emitAlphaUnary(EmitContext& ctx, const char* onnxOp);  // ELU, CELU: `alpha`
void emitLeakyRelu(EmitContext& ctx, const char* onnxOp);
void emitReLU6(EmitContext& ctx, const char* onnxOp);
void emitHardtanh(EmitContext& ctx, const char* onnxOp);
void emitHardsigmoid(EmitContext& ctx, const char* onnxOp);
void emitHardswish(EmitContext& ctx, const char* onnxOp);
void emitGELU(EmitContext& ctx, const char* onnxOp);
void emitSiLU(EmitContext& ctx, const char* onnxOp);
void emitMish(EmitContext& ctx, const char* onnxOp);
void emitSoftplus(EmitContext& ctx, const char* onnxOp);
void emitPReLU(EmitContext& ctx, const char* onnxOp);
void emitSoftmax(EmitContext& ctx, const char* onnxOp);  // Softmax, LogSoftmax: `dim`

// elementwise.cpp
void emitBinary(EmitContext& ctx, const char* onnxOp);  // Add, Sub: `alpha`; Mul; MatMul
void emitDiv(EmitContext& ctx, const char* onnxOp);
void emitPow(EmitContext& ctx, const char* onnxOp);
void emitClamp(EmitContext& ctx, const char* onnxOp);
void emitWhere(EmitContext& ctx, const char* onnxOp);

// conv.cpp
void emitConv(EmitContext& ctx, const char* onnxOp);
void emitConvTranspose(EmitContext& ctx, const char* onnxOp);

// pool.cpp
void emitPool(EmitContext& ctx, const char* onnxOp);  // MaxPool, AveragePool
void emitAdaptivePool(EmitContext& ctx, const char* onnxOp);
bool supportsAdaptivePool(const Node& node);

// norm.cpp
void emitBatchNorm(EmitContext& ctx, const char* onnxOp);
void emitInstanceNorm(EmitContext& ctx, const char* onnxOp);
void emitLayerNorm(EmitContext& ctx, const char* onnxOp);
void emitGroupNorm(EmitContext& ctx, const char* onnxOp);
void emitLocalResponseNorm(EmitContext& ctx, const char* onnxOp);

// linear.cpp
void emitLinear(EmitContext& ctx, const char* onnxOp);
void emitBilinear(EmitContext& ctx, const char* onnxOp);
void emitEmbedding(EmitContext& ctx, const char* onnxOp);

// tensor_ops.cpp
void emitConcat(EmitContext& ctx, const char* onnxOp);
void emitSplit(EmitContext& ctx, const char* onnxOp);  // Split, Chunk
void emitSlice(EmitContext& ctx, const char* onnxOp);
void emitSelect(EmitContext& ctx, const char* onnxOp);
void emitReshape(EmitContext& ctx, const char* onnxOp);  // Reshape, Flatten, Unflatten
void emitPermute(EmitContext& ctx, const char* onnxOp);
void emitTranspose(EmitContext& ctx, const char* onnxOp);
void emitSqueeze(EmitContext& ctx, const char* onnxOp);
void emitUnsqueeze(EmitContext& ctx, const char* onnxOp);
void emitReduce(EmitContext& ctx, const char* onnxOp);  // Mean, Sum
void emitMax(EmitContext& ctx, const char* onnxOp);

// resize.cpp
void emitPad(EmitContext& ctx, const char* onnxOp);
void emitPixelShuffle(EmitContext& ctx, const char* onnxOp);
void emitUpsample(EmitContext& ctx, const char* onnxOp);

// recurrent.cpp
void emitRecurrent(EmitContext& ctx, const char* onnxOp);  // RNN, LSTM, GRU
bool supportsRecurrent(const Node& node);

// attention.cpp
void emitMultiheadAttention(EmitContext& ctx, const char* onnxOp);
void emitTransformerLayer(EmitContext& ctx, const char* onnxOp);

// loss.cpp
void emitClassificationLoss(EmitContext& ctx, const char* onnxOp);  // CrossEntropy, NLL
void emitMSELoss(EmitContext& ctx, const char* onnxOp);
void emitL1Loss(EmitContext& ctx, const char* onnxOp);
void emitSmoothL1Loss(EmitContext& ctx, const char* onnxOp);  // SmoothL1, Huber
void emitKLDivLoss(EmitContext& ctx, const char* onnxOp);
void emitBCELoss(EmitContext& ctx, const char* onnxOp);
void emitBCEWithLogitsLoss(EmitContext& ctx, const char* onnxOp);

}  // namespace sketch
