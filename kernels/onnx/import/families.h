// One registration function per foreign op family; each lives in import/<family>.cpp and
// lists the (op, since_version) pairs it converts.
#pragma once

namespace sketch::onnx_import {

class ConverterRegistry;

// Comments list the ONNX ops each family converts.
void registerConvImporters(ConverterRegistry& r);         // Conv, ConvTranspose
void registerGemmImporters(ConverterRegistry& r);         // Gemm, MatMul (+ Add)
void registerActivationImporters(ConverterRegistry& r);   // Relu, Clip, Sigmoid, Softmax, ...
void registerPoolImporters(ConverterRegistry& r);         // MaxPool, AveragePool, Global*Pool
void registerNormImporters(ConverterRegistry& r);         // BatchNorm..., LayerNormalization
void registerShapeImporters(ConverterRegistry& r);        // Flatten, Reshape, Gather, ...
void registerElementwiseImporters(ConverterRegistry& r);  // Add, Sub, Mul, Div, Pow, ...
void registerReduceImporters(ConverterRegistry& r);       // ReduceMean (+ LayerNorm), ReduceSum
void registerRecurrentImporters(ConverterRegistry& r);    // LSTM, GRU, RNN
void registerDropoutImporters(ConverterRegistry& r);      // Dropout
void registerPadImporters(ConverterRegistry& r);          // Pad

}  // namespace sketch::onnx_import
