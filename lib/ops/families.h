// One registration function per op family; each lives in lib/ops/<family>.cpp.
#pragma once

namespace sketch {

class OpCatalogue;

void registerGraphOps(OpCatalogue& catalogue);  // Input, Identity, Constant, Parameter

void registerElementwiseOps(OpCatalogue& catalogue);  // Add, Sub, ..., Where, MatMul
void registerTensorOps(OpCatalogue& catalogue);       // Concat, Split, Reshape, ..., Max
void registerConstantOps(OpCatalogue& catalogue);     // Constant, Parameter
void registerRecurrentOps(OpCatalogue& catalogue);    // RNN, LSTM, GRU
void registerAttentionOps(OpCatalogue& catalogue);    // MultiheadAttention, Transformer*Layer
void registerLossOps(OpCatalogue& catalogue);         // MSELoss, CrossEntropyLoss, ...

}  // namespace sketch
