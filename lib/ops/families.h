// One registration function per op family; each lives in lib/ops/<family>.cpp.
#pragma once

namespace sketch {

class OpCatalogue;

void registerGraphOps(OpCatalogue& catalogue);  // Input, Identity

// Layers (torch.nn modules with their constructor arguments).
void registerConvOps(OpCatalogue& catalogue);            // Conv1d-3d, ConvTranspose1d-3d
void registerLinearOps(OpCatalogue& catalogue);          // Linear, Bilinear
void registerNormOps(OpCatalogue& catalogue);            // BatchNorm, LayerNorm, GroupNorm, ...
void registerActivationOps(OpCatalogue& catalogue);      // ReLU ... Softmax
void registerPoolOps(OpCatalogue& catalogue);            // MaxPool, AvgPool, adaptive pools
void registerRegularizationOps(OpCatalogue& catalogue);  // Dropout family
void registerReshapeLayerOps(OpCatalogue& catalogue);    // Flatten, Upsample, paddings, ...
void registerEmbeddingOps(OpCatalogue& catalogue);       // Embedding

// Tensor functions, sequence models and losses.
void registerElementwiseOps(OpCatalogue& catalogue);  // Add, Sub, ..., Where, MatMul
void registerTensorOps(OpCatalogue& catalogue);       // Concat, Split, Reshape, ..., Max
void registerConstantOps(OpCatalogue& catalogue);     // Constant, Parameter
void registerRecurrentOps(OpCatalogue& catalogue);    // RNN, LSTM, GRU
void registerAttentionOps(OpCatalogue& catalogue);    // MultiheadAttention, Transformer*Layer
void registerLossOps(OpCatalogue& catalogue);         // MSELoss, CrossEntropyLoss, ...
void registerOpaqueOps(OpCatalogue& catalogue);       // Opaque (foreign ops kept by importers)

}  // namespace sketch
