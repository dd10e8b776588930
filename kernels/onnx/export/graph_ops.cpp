// Ops that map one-to-one (Identity, Dropout in eval mode, Sigmoid, LeakyReLU's alpha...),
// and the source ops Constant and Parameter.
#include <cstring>

#include "emitters.h"

namespace sketch {

namespace {

void flattenNumbers(const Value& v, std::vector<double>& out) {
  if (!v.isList()) {
    out.push_back(v.isBool() ? double(v.asBool()) : v.asNumber());
    return;
  }
  for (const Value& item : v.asList()) flattenNumbers(item, out);
}

template <typename T>
void store(Tensor& t, const std::vector<double>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    T v = static_cast<T>(values[i]);
    std::memcpy(t.mutableData() + i * sizeof(T), &v, sizeof(T));
  }
}

}  // namespace

void emitOneToOne(EmitContext& ctx, const OnnxOp& row) {
  std::vector<std::string> inputs, outputs;
  for (size_t i = 0; i < ctx.inputCount(); ++i)
    if (ctx.hasInput(i)) inputs.push_back(ctx.input(i));
  for (size_t i = 0; i < ctx.outputCount(); ++i) outputs.push_back(ctx.output(i));
  onnx::NodeProto& n = ctx.add(row.foreign, inputs, outputs);
  for (const AttrMapping& a : row.attrs) setAttribute(n, a.theirs, theirValue(a, ctx.node().attrs));
}

bool supportsConstant(const Node& node) {
  DType d = node.outputs[0].dtype;
  return d != DType::Float16 && d != DType::BFloat16;
}

void emitConstant(EmitContext& ctx, const OnnxOp& row) {
  const TensorType& type = ctx.outputType(0);
  std::vector<int64_t> shape;
  for (const Dim& d : type.dims) shape.push_back(d.value());
  std::vector<double> values;
  flattenNumbers(ctx.attr("value"), values);
  Tensor t = *Tensor::zeros(type.dtype, shape);
  switch (type.dtype) {
    case DType::Float64:
      store<double>(t, values);
      break;
    case DType::Int64:
      store<int64_t>(t, values);
      break;
    case DType::Int32:
      store<int32_t>(t, values);
      break;
    case DType::Int16:
      store<int16_t>(t, values);
      break;
    case DType::Int8:
      store<int8_t>(t, values);
      break;
    case DType::UInt8:
    case DType::Bool:
      store<uint8_t>(t, values);
      break;
    default:
      store<float>(t, values);
      break;
  }
  onnx::NodeProto& n = ctx.add(row.foreign, {}, {ctx.output(0)});
  onnx::AttributeProto& a = *n.add_attribute();
  a.set_name("value");
  a.set_type(onnx::AttributeProto::TENSOR);
  onnx::TensorProto& value = *a.mutable_t();
  value.set_data_type(onnxType(type.dtype));
  for (int64_t s : shape) value.add_dims(s);
  value.set_raw_data(t.data(), t.byteSize());
}

void emitDropout(EmitContext& ctx, const OnnxOp& row) {
  // Outside training ONNX's Dropout passes its input through, as torch's does; writing it
  // keeps the block, and its rate, for whoever reads the model back.
  ctx.opTo(row.foreign, {ctx.input(0), ctx.scalar(ctx.getFloat("p"), DType::Float32)},
           ctx.output(0));
}

// The exporter names a Parameter's value by its path, which is also its state_dict name:
// the initializer is the value itself.
void emitParameter(EmitContext& ctx, const OnnxOp&) { ctx.param(""); }

}  // namespace sketch
