// The rows. A row that exports writes its op (or every op of its family) as `foreign`
// through its emitter; a row that imports reads `foreign` at its since-versions. Ops
// missing as writers have no ONNX form in opsets 13-17; ONNX ops missing as readers are
// listed by the importer before it converts anything. Models below opset 13 are upgraded
// to 13 on load, so readers start at the versions opset 13 resolves to.
#include "onnx_ops.h"

#include "export/emitters.h"
#include "import/converters.h"

namespace sketch {

namespace {

using namespace onnx_import;

Value F(double v) { return Value::ofFloat(v); }
Value I(int64_t v) { return Value::ofInt(v); }

constexpr const char* kNoIndices = "without return_indices: ONNX's pools return no indices";

std::vector<OnnxOp> rows() {
  return {
      // Graph inputs are written by the exporter itself; Identity and Constant nodes of a
      // model are folded away before conversion.
      OnnxOp("Identity", "Identity").exportWith(emitOneToOne),
      OnnxOp("Constant", "Constant")
          .exportWith(emitConstant)
          .only(supportsConstant, "of a dtype other than float16 and bfloat16"),
      OnnxOp("Parameter", "").exportWith(emitParameter),
      // Eval mode: dropout passes its input through; ONNX has a Dropout of the plain kind.
      OnnxOp("Dropout", "Dropout").exportWith(emitDropout).importWith(importDropout, {13}),
      OnnxOp("Dropout1d", "Identity").exportWith(emitOneToOne),
      OnnxOp("Dropout2d", "Identity").exportWith(emitOneToOne),
      OnnxOp("Dropout3d", "Identity").exportWith(emitOneToOne),
      OnnxOp("AlphaDropout", "Identity").exportWith(emitOneToOne),
      OnnxOp("FeatureAlphaDropout", "Identity").exportWith(emitOneToOne),

      OnnxOp("ReLU", "Relu").exportWith(emitOneToOne).importWith(importOneToOne, {13, 14}),
      OnnxOp("ReLU6", "Clip").exportWith(emitReLU6),
      OnnxOp("LeakyReLU", "LeakyRelu")
          .attr("negative_slope", "alpha", F(0.01))
          .exportWith(emitOneToOne)
          .importWith(importOneToOne, {6, 16}),
      OnnxOp("ELU", "Elu")
          .attr("alpha", "alpha", F(1.0))
          .exportWith(emitOneToOne)
          .importWith(importOneToOne, {6}),
      OnnxOp("CELU", "Celu")
          .attr("alpha", "alpha", F(1.0))
          .exportWith(emitOneToOne)
          .importWith(importOneToOne, {12}),
      OnnxOp("SELU", "Selu").exportWith(emitOneToOne).importWith(importOneToOne, {6}),
      OnnxOp("GELU", "").exportWith(emitGELU),
      OnnxOp("SiLU", "").exportWith(emitSiLU),
      OnnxOp("Mish", "").exportWith(emitMish),
      // Sigmoid, HardSigmoid and Softplus may start torch.onnx.export's SiLU, Hardswish and
      // Mish; Div and Mul its GELU (decomposed_activations.cpp).
      OnnxOp("Sigmoid", "Sigmoid").exportWith(emitOneToOne).importWith(importSigmoid, {13}),
      OnnxOp("Tanh", "Tanh").exportWith(emitOneToOne).importWith(importOneToOne, {13}),
      OnnxOp("Hardswish", "HardSwish").exportWith(emitHardswish).importWith(importOneToOne, {14}),
      OnnxOp("Hardsigmoid", "HardSigmoid")
          .exportWith(emitHardsigmoid)
          .importWith(importHardSigmoidOrSwish, {6}),
      OnnxOp("Softplus", "Softplus").exportWith(emitSoftplus).importWith(importSoftplus, {1}),
      OnnxOp("Softsign", "Softsign").exportWith(emitOneToOne).importWith(importOneToOne, {1}),
      // Shrink(bias, lambd) is both: bias 0 is Hardshrink, bias = lambd Softshrink.
      OnnxOp("Hardshrink", "Shrink")
          .attr("lambd", "lambd", F(0.5))
          .exportWith(emitOneToOne)
          .importWith(importShrink, {9}),
      OnnxOp("Softshrink", "Shrink")
          .attr("lambd", "lambd", F(0.5))
          .attr("lambd", "bias", F(0.0))
          .exportWith(emitOneToOne),
      OnnxOp("PReLU", "PRelu").exportWith(emitPReLU).importWith(importPRelu, {9, 16}),
      // From opset 13 Softmax normalises along one axis, as torch does.
      OnnxOp("Softmax", "Softmax")
          .attr("dim", "axis", I(-1))
          .exportWith(emitOneToOne)
          .importWith(importOneToOne, {13}),
      OnnxOp("LogSoftmax", "LogSoftmax")
          .attr("dim", "axis", I(-1))
          .exportWith(emitOneToOne)
          .importWith(importOneToOne, {13}),
      OnnxOp("Hardtanh", "Clip").exportWith(emitHardtanh),

      OnnxOp("Add", "Add").exportWith(emitBinary).importWith(importOneToOne, {13, 14}),
      OnnxOp("Sub", "Sub").exportWith(emitBinary).importWith(importOneToOne, {13, 14}),
      OnnxOp("Mul", "Mul").exportWith(emitBinary).importWith(importMul, {13, 14}),
      OnnxOp("Div", "Div").exportWith(emitDiv).importWith(importDiv, {13, 14}),
      OnnxOp("MatMul", "MatMul").exportWith(emitBinary).importWith(importMatMul, {13}),
      OnnxOp("Pow", "Pow").exportWith(emitPow).importWith(importPow, {13, 15}),
      // Clip reads back as ReLU6, ReLU, Hardtanh or Clamp by its bounds.
      OnnxOp("Clamp", "Clip").exportWith(emitClamp).importWith(importClip, {13}),
      OnnxOp("Where", "Where").exportWith(emitWhere),
      OnnxOp("Sqrt", "Sqrt").exportWith(emitOneToOne).importWith(importOneToOne, {13}),
      OnnxOp("Exp", "Exp").exportWith(emitOneToOne).importWith(importOneToOne, {13}),
      OnnxOp("Log", "Log").exportWith(emitOneToOne).importWith(importOneToOne, {13}),
      OnnxOp("Erf", "Erf").exportWith(emitOneToOne).importWith(importOneToOne, {13}),

      OnnxOp("Conv", "Conv").exportWith(emitConv).importWith(importConv, {11}),
      OnnxOp("ConvTranspose", "ConvTranspose")
          .exportWith(emitConvTranspose)
          .importWith(importConv, {11}),

      OnnxOp("MaxPool", "MaxPool").exportWith(emitPool).importWith(importPool, {12}),
      OnnxOp("AvgPool", "AveragePool").exportWith(emitPool).importWith(importPool, {11}),
      OnnxOp("AdaptiveAvgPool", "AveragePool")
          .exportWith(emitAdaptivePool)
          .only(supportsAdaptivePool, kNoIndices),
      OnnxOp("AdaptiveMaxPool", "MaxPool")
          .exportWith(emitAdaptivePool)
          .only(supportsAdaptivePool, kNoIndices),
      // torch writes adaptive pools to size 1 as global pools.
      OnnxOp("AdaptiveAvgPool", "GlobalAveragePool").importWith(importGlobalPool, {1}),
      OnnxOp("AdaptiveMaxPool", "GlobalMaxPool").importWith(importGlobalPool, {1}),

      OnnxOp("BatchNorm", "BatchNormalization")
          .exportWith(emitBatchNorm)
          .importWith(importBatchNorm, {9, 14, 15}),
      OnnxOp("InstanceNorm", "InstanceNormalization")
          .exportWith(emitInstanceNorm)
          .importWith(importInstanceNorm, {6}),
      OnnxOp("LayerNorm", "LayerNormalization")
          .exportWith(emitLayerNorm)
          .importWith(importLayerNorm, {17}),
      OnnxOp("GroupNorm", "").exportWith(emitGroupNorm),
      OnnxOp("LocalResponseNorm", "LRN")
          .attr("size", "size")
          .attr("alpha", "alpha", F(1e-4))
          .attr("beta", "beta", F(0.75))
          .attr("k", "bias", F(1.0))
          .exportWith(emitOneToOne)
          .importWith(importOneToOne, {13}),

      OnnxOp("Linear", "Gemm").exportWith(emitLinear).importWith(importGemm, {13}),
      OnnxOp("Bilinear", "Einsum").exportWith(emitBilinear),
      // Gather of a weight table reads back as Embedding, of one constant index as Select.
      OnnxOp("Embedding", "Gather").exportWith(emitEmbedding).importWith(importGather, {13}),

      OnnxOp("Concat", "Concat")
          .attr("dim", "axis", I(0))
          .exportWith(emitConcat)
          .importWith(importOneToOne, {13}),
      OnnxOp("Split", "Split").exportWith(emitSplit),
      OnnxOp("Chunk", "Split").exportWith(emitSplit),
      OnnxOp("Slice", "Slice").exportWith(emitSlice).importWith(importSlice, {13}),
      OnnxOp("Select", "Gather").exportWith(emitSelect),
      // A Reshape reads back as Flatten when that is what it does.
      OnnxOp("Reshape", "Reshape").exportWith(emitReshape).importWith(importReshape, {13, 14}),
      OnnxOp("Flatten", "Reshape").exportWith(emitReshape),
      OnnxOp("Flatten", "Flatten").importWith(importFlatten, {13}),
      OnnxOp("Unflatten", "Reshape").exportWith(emitReshape),
      // A Transpose that swaps two dims reads back as Transpose, others as Permute.
      OnnxOp("Permute", "Transpose").exportWith(emitPermute).importWith(importTranspose, {13}),
      OnnxOp("Transpose", "Transpose").exportWith(emitTranspose),
      OnnxOp("Squeeze", "Squeeze").exportWith(emitSqueeze).importWith(importSqueeze, {13}),
      OnnxOp("Unsqueeze", "Unsqueeze").exportWith(emitUnsqueeze).importWith(importSqueeze, {13}),
      // A ReduceMean that is part of a decomposed LayerNorm reads back as the LayerNorm.
      OnnxOp("Mean", "ReduceMean").exportWith(emitReduce).importWith(importReduce, {13}),
      OnnxOp("Sum", "ReduceSum").exportWith(emitReduce).importWith(importReduce, {13}),
      OnnxOp("Max", "ReduceMax").exportWith(emitMax),

      OnnxOp("ZeroPad2d", "Pad").exportWith(emitPad).importWith(importPad, {13}),
      OnnxOp("ConstantPad", "Pad").exportWith(emitPad),
      OnnxOp("PixelShuffle", "DepthToSpace").exportWith(emitPixelShuffle),
      OnnxOp("Upsample", "Resize").exportWith(emitUpsample),

      OnnxOp("RNN", "RNN").exportWith(emitRecurrent).importWith(importRecurrent, {7, 14}),
      OnnxOp("LSTM", "LSTM")
          .exportWith(emitRecurrent)
          .only(supportsRecurrent, "without proj_size: ONNX's LSTM has no projection of h")
          .importWith(importRecurrent, {7, 14}),
      OnnxOp("GRU", "GRU").exportWith(emitRecurrent).importWith(importRecurrent, {7, 14}),

      OnnxOp("MultiheadAttention", "").exportWith(emitMultiheadAttention),
      OnnxOp("TransformerEncoderLayer", "").exportWith(emitTransformerLayer),
      OnnxOp("TransformerDecoderLayer", "").exportWith(emitTransformerLayer),

      OnnxOp("CrossEntropyLoss", "SoftmaxCrossEntropyLoss").exportWith(emitClassificationLoss),
      OnnxOp("NLLLoss", "NegativeLogLikelihoodLoss").exportWith(emitClassificationLoss),
      OnnxOp("MSELoss", "").exportWith(emitMSELoss),
      OnnxOp("L1Loss", "").exportWith(emitL1Loss),
      OnnxOp("SmoothL1Loss", "").exportWith(emitSmoothL1Loss),
      OnnxOp("HuberLoss", "").exportWith(emitSmoothL1Loss),
      OnnxOp("KLDivLoss", "").exportWith(emitKLDivLoss),
      OnnxOp("BCELoss", "").exportWith(emitBCELoss),
      OnnxOp("BCEWithLogitsLoss", "").exportWith(emitBCEWithLogitsLoss),
  };
}

}  // namespace

std::string onnxReadKey(const std::string& opType, int sinceVersion) {
  return opType + "@" + std::to_string(sinceVersion);
}

std::vector<std::string> OnnxOp::readKeys() const {
  std::vector<std::string> keys;
  if (import)
    for (int version : versions) keys.push_back(onnxReadKey(foreign, version));
  return keys;
}

const OpMappingTable<OnnxOp>& onnxOps() {
  static const OpMappingTable<OnnxOp> table("onnx", rows());
  return table;
}

}  // namespace sketch
