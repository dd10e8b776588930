// The rows. A row that exports writes its op as its nn class through its builder; a row that
// imports reads its class into its op. Ops missing as writers have no nn module that
// computes them; classes missing as readers (and as containers) make the reader refuse the
// file at the class.
#include "t7_ops.h"

#include "export/module_table.h"
#include "import/converters.h"

namespace sketch::t7 {

namespace {

Value F(double v) { return Value::ofFloat(v); }
Value B(bool v) { return Value::ofBool(v); }

const std::vector<LuaArg> kWindow = {{"kW"}, {"kH"}, {"dW"}, {"dH"}, {"padW"}, {"padH"}};
std::vector<LuaArg> convolutionArgs(std::vector<LuaArg> extra = {}) {
  std::vector<LuaArg> args = {{"nInputPlane"}, {"nOutputPlane"}};
  args.insert(args.end(), kWindow.begin(), kWindow.end());
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

constexpr const char* kPlainConv =
    "with groups=1, dilation 1, numeric padding and padding_mode 'zeros': Lua Torch's "
    "convolutions have none of the others";
constexpr const char* kSizedAdaptivePool =
    "on a 3-D or 4-D input, with an output_size of one or two sizes (no none) and without "
    "return_indices";

std::vector<T7Op> rows() {
  const std::vector<LuaArg> batchNorm = {{"running_mean", 1}, {"eps"}, {"momentum"}, {"affine"}};
  return {
      T7Op("Conv2d", "nn.SpatialConvolution")
          .only(plainConv, kPlainConv)
          .exportWith(buildConv)
          .importWith(importConvolution)
          .lua(convolutionArgs()),
      // The MM variant (and cudnn's) keeps the same fields and a 2-D weight.
      T7Op("Conv2d", "nn.SpatialConvolutionMM").importWith(importConvolution),
      T7Op("ConvTranspose2d", "nn.SpatialFullConvolution")
          .only(plainConv, kPlainConv)
          .exportWith(buildConvTranspose)
          .importWith(importFullConvolution)
          .lua(convolutionArgs({{"adjW"}, {"adjH"}})),
      T7Op("Linear", "nn.Linear")
          .only(supportsLinear,
                "on a 1-D or 2-D input ([in_features] or [N, in_features]): nn.Linear "
                "takes no other rank")
          .exportWith(buildLinear)
          .importWith(importLinear)
          .lua({{"weight", 2}, {"weight", 1}}),
      T7Op("BatchNorm1d", "nn.BatchNormalization")
          .only(supportsBatchNorm1d,
                "on [N, C] with track_running_stats: nn.BatchNormalization takes no "
                "[N, C, L] and keeps running statistics")
          .exportWith(buildBatchNorm)
          .importWith(importBatchNorm)
          .lua(batchNorm),
      T7Op("BatchNorm2d", "nn.SpatialBatchNormalization")
          .only(supportsBatchNorm,
                "with track_running_stats: nn.SpatialBatchNormalization keeps running "
                "statistics")
          .exportWith(buildBatchNorm)
          .importWith(importBatchNorm)
          .lua(batchNorm),

      // nn.ReLU is a Threshold(0, 0); other thresholds are refused on import.
      T7Op("ReLU", "nn.ReLU")
          .field("threshold", F(0))
          .field("val", F(0))
          .field("inplace", B(false))
          .exportWith(buildMapped)
          .importWith(importReLU),
      T7Op("ReLU6", "nn.ReLU6").field("inplace", B(false)).exportWith(buildMapped).importWith(importMapped),
      T7Op("LeakyReLU", "nn.LeakyReLU")
          .attr("negative_slope", "negval", F(0.01))
          .field("inplace", B(false))
          .exportWith(buildMapped)
          .importWith(importMapped)
          .lua({{"negval"}}),
      T7Op("ELU", "nn.ELU")
          .attr("alpha", "alpha", F(1.0))
          .field("inplace", B(false))
          .exportWith(buildMapped)
          .importWith(importMapped)
          .lua({{"alpha"}}),
      T7Op("PReLU", "nn.PReLU")
          .exportWith(buildPReLU)
          .importWith(importPReLU)
          .lua({{"nOutputPlane"}}),
      T7Op("Tanh", "nn.Tanh").exportWith(buildMapped).importWith(importMapped),
      T7Op("Sigmoid", "nn.Sigmoid").exportWith(buildMapped).importWith(importMapped),
      T7Op("Softmax", "nn.SoftMax")
          .only(supportsSoftmax,
                "over the feature dim (dim 0 of a 1-D or 3-D input, dim 1 of a 2-D or "
                "4-D one): Lua Torch picks the dim from the rank")
          .exportWith(buildMapped)
          .importWith(importSoftMax),
      T7Op("LogSoftmax", "nn.LogSoftMax")
          .only(supportsSoftmax,
                "over the feature dim (dim 0 of a 1-D or 3-D input, dim 1 of a 2-D or "
                "4-D one): Lua Torch picks the dim from the rank")
          .exportWith(buildMapped)
          .importWith(importSoftMax),

      T7Op("MaxPool2d", "nn.SpatialMaxPooling")
          .only(supportsMaxPool,
                "with dilation 1 and without return_indices: nn.SpatialMaxPooling has "
                "neither")
          .exportWith(buildMaxPool)
          .importWith(importMaxPooling)
          .lua(kWindow),
      T7Op("AvgPool2d", "nn.SpatialAveragePooling")
          .only(supportsAvgPool,
                "without divisor_override: nn.SpatialAveragePooling has none")
          .exportWith(buildAvgPool)
          .importWith(importAveragePooling)
          .lua(kWindow),
      T7Op("AdaptiveAvgPool2d", "nn.SpatialAdaptiveAveragePooling")
          .only(supportsAdaptivePool, kSizedAdaptivePool)
          .exportWith(buildAdaptivePool)
          .importWith(importAdaptivePooling)
          .lua({{"W"}, {"H"}}),
      T7Op("AdaptiveMaxPool2d", "nn.SpatialAdaptiveMaxPooling")
          .only(supportsAdaptivePool, kSizedAdaptivePool)
          .exportWith(buildAdaptivePool)
          .importWith(importAdaptivePooling)
          .lua({{"W"}, {"H"}}),

      T7Op("Dropout", "nn.Dropout")
          .exportWith(buildDropout)
          .importWith(importDropout)
          .lua({{"p"}}),
      // Kept as a node (not passed through) so that exporting again writes the same modules.
      T7Op("Identity", "nn.Identity").exportWith(buildMapped).importWith(importMapped),
      T7Op("Flatten", "nn.View").only(supportsFlatten,
                "of dims 1 to -1, with every size after the batch known: it becomes an "
                "nn.View, which needs them").exportWith(buildBatchView),
      // nn.View reads back as Flatten or Reshape by its sizes.
      T7Op("Reshape", "nn.View")
          .only(supportsReshape,
                "to a shape that starts with -1 (the batch) and whose other sizes are "
                "known: it becomes an nn.View")
          .exportWith(buildBatchView)
          .importWith(importView)
          .lua({{"size", kStorageElements}}),
      T7Op("Reshape", "nn.Reshape").importWith(importReshape),
      T7Op("ZeroPad2d", "nn.SpatialZeroPadding").importWith(importZeroPadding),
      T7Op("Slice", "nn.Narrow").importWith(importNarrow),
      T7Op("Embedding", "nn.LookupTable")
          .only(supportsEmbedding,
                "without max_norm")
          .exportWith(buildEmbedding)
          .importWith(importLookupTable)
          .differs("nn.LookupTable takes 1-based indices, Embedding 0-based ones")
          .lua({{"weight", 1}, {"weight", 2}}),

      // torch/rnn.
      T7Op("LSTM", "nn.SeqLSTM")
          .only(supportsRecurrent,
                "with one layer, one direction, bias, neither batch_first nor "
                "proj_size: the only form torch/rnn's sequence modules have")
          .exportWith(buildLSTM)
          .importWith(importSeqLSTM)
          .lua({{"inputsize"}, {"outputsize"}}),
      T7Op("GRU", "nn.SeqGRU")
          .only(supportsRecurrent,
                "with one layer, one direction, bias, neither batch_first nor "
                "proj_size: the only form torch/rnn's sequence modules have")
          .exportWith(buildGRU)
          .importWith(importSeqGRU)
          .differs("nn.SeqGRU resets the hidden state before the recurrent product ((r*h)W), "
                   "torch.nn.GRU after it (r*(hW)): outputs differ")
          .lua({{"inputsize"}, {"outputsize"}}),

      // Merges of a ConcatTable's outputs.
      T7Op("Add", "nn.CAddTable").merging().exportWith(buildTableModule).importWith(importTableReduction),
      T7Op("Mul", "nn.CMulTable").merging().exportWith(buildTableModule).importWith(importTableReduction),
      T7Op("Concat", "nn.JoinTable")
          .merging()
          .exportWith(buildJoinTable)
          .importWith(importJoinTable)
          .lua({{"dimension"}}),
  };
}

}  // namespace

const OpMappingTable<T7Op>& t7Ops() {
  static const OpMappingTable<T7Op> table("t7", rows());
  return table;
}

const std::vector<LuaArg>* luaConstructor(const std::string& className) {
  for (const T7Op& row : t7Ops().rows())
    if (row.foreign == className && !row.constructor.empty()) return &row.constructor;
  return nullptr;
}

}  // namespace sketch::t7
