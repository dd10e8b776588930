// One registration function per foreign op family; each lives in import/<family>.cpp and
// lists the (op, since_version) pairs it converts.
#pragma once

namespace sketch::onnx_import {

class ConverterRegistry;

void registerConvImporters(ConverterRegistry& r);        // Conv
void registerGemmImporters(ConverterRegistry& r);        // Gemm, MatMul (+ Add)
void registerActivationImporters(ConverterRegistry& r);  // Relu, Clip, Sigmoid, Softmax, ...
void registerPoolImporters(ConverterRegistry& r);        // MaxPool, AveragePool, Global*Pool
void registerNormImporters(ConverterRegistry& r);        // BatchNormalization, LayerNormalization
void registerShapeImporters(ConverterRegistry& r);       // Flatten, Reshape, Transpose, Gather, ...
void registerElementwiseImporters(ConverterRegistry& r);  // Add, Sub, Mul, Div, Pow, Sqrt, ...
void registerReduceImporters(ConverterRegistry& r);  // ReduceMean (+ LayerNorm pattern), ReduceSum
void registerRecurrentImporters(ConverterRegistry& r);  // LSTM, GRU, RNN
void registerDropoutImporters(ConverterRegistry& r);    // Dropout

}  // namespace sketch::onnx_import
