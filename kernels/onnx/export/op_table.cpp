// The exporter's op table: the one place where catalogue op names meet ONNX. Ops missing
// here have no ONNX form in opsets 13-17 (see onnxSupports).
#include "op_table.h"

#include <cstdlib>
#include <map>

#include "onnx_kernel.h"

namespace sketch {

const std::vector<OpEmitter>& emitterTable() {
  static const std::vector<OpEmitter> table = {
      // Graph inputs are written by the exporter itself.
      {"Input", nullptr, nullptr, nullptr},
      {"Identity", "Identity", emitUnary, nullptr},
      {"Constant", "Constant", emitConstant, supportsConstant},
      {"Parameter", nullptr, emitParameter, nullptr},
      // Eval mode: dropout passes its input through.
      {"Dropout", "Identity", emitUnary, nullptr},
      {"Dropout1d", "Identity", emitUnary, nullptr},
      {"Dropout2d", "Identity", emitUnary, nullptr},
      {"Dropout3d", "Identity", emitUnary, nullptr},
      {"AlphaDropout", "Identity", emitUnary, nullptr},
      {"FeatureAlphaDropout", "Identity", emitUnary, nullptr},

      {"ReLU", "Relu", emitUnary, nullptr},
      {"ReLU6", "Clip", emitReLU6, nullptr},
      {"LeakyReLU", "LeakyRelu", emitLeakyRelu, nullptr},
      {"ELU", "Elu", emitAlphaUnary, nullptr},
      {"CELU", "Celu", emitAlphaUnary, nullptr},
      {"SELU", "Selu", emitUnary, nullptr},
      {"GELU", nullptr, emitGELU, nullptr},
      {"SiLU", nullptr, emitSiLU, nullptr},
      {"Mish", nullptr, emitMish, nullptr},
      {"Sigmoid", "Sigmoid", emitUnary, nullptr},
      {"Tanh", "Tanh", emitUnary, nullptr},
      {"Hardswish", "HardSwish", emitHardswish, nullptr},
      {"Hardsigmoid", "HardSigmoid", emitHardsigmoid, nullptr},
      {"Softplus", "Softplus", emitSoftplus, nullptr},
      {"Softsign", "Softsign", emitUnary, nullptr},
      {"PReLU", "PRelu", emitPReLU, nullptr},
      {"Softmax", "Softmax", emitSoftmax, nullptr},
      {"LogSoftmax", "LogSoftmax", emitSoftmax, nullptr},
      {"Hardtanh", "Clip", emitHardtanh, nullptr},

      {"Add", "Add", emitBinary, nullptr},
      {"Sub", "Sub", emitBinary, nullptr},
      {"Mul", "Mul", emitBinary, nullptr},
      {"MatMul", "MatMul", emitBinary, nullptr},
      {"Div", "Div", emitDiv, nullptr},
      {"Pow", "Pow", emitPow, nullptr},
      {"Clamp", "Clip", emitClamp, nullptr},
      {"Where", "Where", emitWhere, nullptr},
      {"Sqrt", "Sqrt", emitUnary, nullptr},
      {"Exp", "Exp", emitUnary, nullptr},
      {"Log", "Log", emitUnary, nullptr},
      {"Erf", "Erf", emitUnary, nullptr},

      {"Conv1d", "Conv", emitConv, nullptr},
      {"Conv2d", "Conv", emitConv, nullptr},
      {"Conv3d", "Conv", emitConv, nullptr},
      {"ConvTranspose1d", "ConvTranspose", emitConvTranspose, nullptr},
      {"ConvTranspose2d", "ConvTranspose", emitConvTranspose, nullptr},
      {"ConvTranspose3d", "ConvTranspose", emitConvTranspose, nullptr},

      {"MaxPool1d", "MaxPool", emitPool, nullptr},
      {"MaxPool2d", "MaxPool", emitPool, nullptr},
      {"MaxPool3d", "MaxPool", emitPool, nullptr},
      {"AvgPool1d", "AveragePool", emitPool, nullptr},
      {"AvgPool2d", "AveragePool", emitPool, nullptr},
      {"AvgPool3d", "AveragePool", emitPool, nullptr},
      {"AdaptiveAvgPool1d", "AveragePool", emitAdaptivePool, supportsAdaptivePool},
      {"AdaptiveAvgPool2d", "AveragePool", emitAdaptivePool, supportsAdaptivePool},
      {"AdaptiveAvgPool3d", "AveragePool", emitAdaptivePool, supportsAdaptivePool},
      {"AdaptiveMaxPool1d", "MaxPool", emitAdaptivePool, supportsAdaptivePool},
      {"AdaptiveMaxPool2d", "MaxPool", emitAdaptivePool, supportsAdaptivePool},
      {"AdaptiveMaxPool3d", "MaxPool", emitAdaptivePool, supportsAdaptivePool},

      {"BatchNorm1d", "BatchNormalization", emitBatchNorm, nullptr},
      {"BatchNorm2d", "BatchNormalization", emitBatchNorm, nullptr},
      {"BatchNorm3d", "BatchNormalization", emitBatchNorm, nullptr},
      {"InstanceNorm1d", "InstanceNormalization", emitInstanceNorm, nullptr},
      {"InstanceNorm2d", "InstanceNormalization", emitInstanceNorm, nullptr},
      {"InstanceNorm3d", "InstanceNormalization", emitInstanceNorm, nullptr},
      {"LayerNorm", nullptr, emitLayerNorm, nullptr},
      {"GroupNorm", nullptr, emitGroupNorm, nullptr},
      {"LocalResponseNorm", "LRN", emitLocalResponseNorm, nullptr},

      {"Linear", "Gemm", emitLinear, nullptr},
      {"Bilinear", "Einsum", emitBilinear, nullptr},
      {"Embedding", "Gather", emitEmbedding, nullptr},

      {"Concat", "Concat", emitConcat, nullptr},
      {"Split", "Split", emitSplit, nullptr},
      {"Chunk", "Split", emitSplit, nullptr},
      {"Slice", "Slice", emitSlice, nullptr},
      {"Select", "Gather", emitSelect, nullptr},
      {"Reshape", "Reshape", emitReshape, nullptr},
      {"Flatten", "Reshape", emitReshape, nullptr},
      {"Unflatten", "Reshape", emitReshape, nullptr},
      {"Permute", "Transpose", emitPermute, nullptr},
      {"Transpose", "Transpose", emitTranspose, nullptr},
      {"Squeeze", "Squeeze", emitSqueeze, nullptr},
      {"Unsqueeze", "Unsqueeze", emitUnsqueeze, nullptr},
      {"Mean", "ReduceMean", emitReduce, nullptr},
      {"Sum", "ReduceSum", emitReduce, nullptr},
      {"Max", "ReduceMax", emitMax, nullptr},

      {"ZeroPad2d", "Pad", emitPad, nullptr},
      {"ConstantPad1d", "Pad", emitPad, nullptr},
      {"ConstantPad2d", "Pad", emitPad, nullptr},
      {"ConstantPad3d", "Pad", emitPad, nullptr},
      {"PixelShuffle", "DepthToSpace", emitPixelShuffle, nullptr},
      {"Upsample", "Resize", emitUpsample, nullptr},

      {"RNN", "RNN", emitRecurrent, nullptr},
      {"LSTM", "LSTM", emitRecurrent, supportsRecurrent},
      {"GRU", "GRU", emitRecurrent, nullptr},

      {"MultiheadAttention", nullptr, emitMultiheadAttention, nullptr},
      {"TransformerEncoderLayer", nullptr, emitTransformerLayer, nullptr},
      {"TransformerDecoderLayer", nullptr, emitTransformerLayer, nullptr},

      {"CrossEntropyLoss", "SoftmaxCrossEntropyLoss", emitClassificationLoss, nullptr},
      {"NLLLoss", "NegativeLogLikelihoodLoss", emitClassificationLoss, nullptr},
      {"MSELoss", nullptr, emitMSELoss, nullptr},
      {"L1Loss", nullptr, emitL1Loss, nullptr},
      {"SmoothL1Loss", nullptr, emitSmoothL1Loss, nullptr},
      {"HuberLoss", nullptr, emitSmoothL1Loss, nullptr},
      {"KLDivLoss", nullptr, emitKLDivLoss, nullptr},
      {"BCELoss", nullptr, emitBCELoss, nullptr},
      {"BCEWithLogitsLoss", nullptr, emitBCEWithLogitsLoss, nullptr},
  };
  return table;
}

const OpEmitter* findEmitter(const std::string& op) {
  static const std::map<std::string, const OpEmitter*> index = [] {
    std::map<std::string, const OpEmitter*> byName;
    for (const OpEmitter& e : emitterTable()) {
      bool fresh = byName.emplace(e.op, &e).second;
      if (!fresh) std::abort();  // one entry per op
    }
    return byName;
  }();
  auto it = index.find(op);
  return it == index.end() ? nullptr : it->second;
}

bool onnxSupports(const Node& node) {
  const OpEmitter* e = node.op ? findEmitter(node.op->name()) : nullptr;
  return e && (!e->supports || e->supports(node));
}

}  // namespace sketch
