// Layers with one input: convolutions, Linear, batch norm, activations, pooling, Dropout,
// View / Reshape, SpatialZeroPadding, Narrow, LookupTable; the op table (../t7_ops.cpp)
// says which class each one reads. Weights go to the WeightStore under PyTorch's names and
// layouts.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "converters.h"
#include "weights/convert.h"

namespace sketch::t7 {

namespace {

using Args = std::vector<CallArgument>;

int64_t integer(const Object& m, const char* field, double fallback = 0) {
  return ImportContext::integer(m, field, fallback);
}
Value pairOf(const Object& m, const char* h, const char* w, double fallback = 0) {
  return Value::ofInts({integer(m, h, fallback), integer(m, w, fallback)});
}

/// A node of `op` on the single tensor `input`.
std::optional<Flow> unary(ImportContext& ctx, const Object& m, const std::string& path,
                          const Flow& input, const char* op, Args args) {
  std::optional<PortRef> in = singleTensor(ctx, m, path, input);
  if (!in) return std::nullopt;
  std::optional<PortRef> out = ctx.addNode(op, path, std::move(args), {*in});
  if (!out) return std::nullopt;
  return Flow::tensor(*out);
}

bool hasTensor(const Object& m, const char* field) {
  const Object* t = m.get(field);
  return t && t->kind == Object::Kind::Tensor && t->tensorNumel() > 0;
}

}  // namespace

std::optional<Flow> importConvolution(ImportContext& ctx, const Object& m, const std::string& path,
                                      const Flow& input, const T7Op& row) {
  int64_t in = integer(m, "nInputPlane"), out = integer(m, "nOutputPlane");
  int64_t kh = integer(m, "kH"), kw = integer(m, "kW");
  bool bias = hasTensor(m, "bias");
  std::optional<Flow> flow = unary(ctx, m, path, input, row.op.c_str(),
                                   {{"in_channels", Value::ofInt(in)},
                                    {"out_channels", Value::ofInt(out)},
                                    {"kernel_size", Value::ofInts({kh, kw})},
                                    {"stride", pairOf(m, "dH", "dW", 1)},
                                    {"padding", pairOf(m, "padH", "padW")},
                                    {"bias", Value::ofBool(bias)}});
  // Old files keep the weight as [nOut, nIn*kH*kW]; forward() views it as 4-D.
  if (!flow || !ctx.addWeight(m, "weight", path + ".weight", std::vector<int64_t>{out, in, kh, kw}))
    return std::nullopt;
  if (bias && !ctx.addWeight(m, "bias", path + ".bias")) return std::nullopt;
  return flow;
}

std::optional<Flow> importFullConvolution(ImportContext& ctx, const Object& m, const std::string& path,
                                          const Flow& input, const T7Op& row) {
  bool bias = hasTensor(m, "bias");
  std::optional<Flow> flow = unary(ctx, m, path, input, row.op.c_str(),
                                   {{"in_channels", Value::ofInt(integer(m, "nInputPlane"))},
                                    {"out_channels", Value::ofInt(integer(m, "nOutputPlane"))},
                                    {"kernel_size", pairOf(m, "kH", "kW")},
                                    {"stride", pairOf(m, "dH", "dW", 1)},
                                    {"padding", pairOf(m, "padH", "padW")},
                                    {"output_padding", pairOf(m, "adjH", "adjW")},
                                    {"bias", Value::ofBool(bias)}});
  if (!flow || !ctx.addWeight(m, "weight", path + ".weight")) return std::nullopt;
  if (bias && !ctx.addWeight(m, "bias", path + ".bias")) return std::nullopt;
  return flow;
}

std::optional<Flow> importLinear(ImportContext& ctx, const Object& m, const std::string& path,
                                 const Flow& input, const T7Op& row) {
  const Object* w = m.get("weight");
  if (!w || w->sizes.size() != 2) return ctx.fail(m, path, "has no 2-D weight", diag::ModelWeight);
  bool bias = hasTensor(m, "bias");
  std::optional<Flow> flow = unary(ctx, m, path, input, row.op.c_str(),
                                   {{"in_features", Value::ofInt(w->sizes[1])},
                                    {"out_features", Value::ofInt(w->sizes[0])},
                                    {"bias", Value::ofBool(bias)}});
  if (!flow || !ctx.addWeight(m, "weight", path + ".weight")) return std::nullopt;
  if (bias && !ctx.addWeight(m, "bias", path + ".bias")) return std::nullopt;
  return flow;
}

namespace {

/// running_var from version 1's running_std, which held 1/sqrt(var + eps).
std::optional<Tensor> runningVar(ImportContext& ctx, const Object& m, double eps) {
  if (m.version >= 2) return ctx.tensorField(m, "running_var");
  std::optional<Tensor> std = ctx.tensorField(m, "running_std");
  if (!std) return std::nullopt;
  std::optional<Tensor> var = Tensor::zeros(DType::Float64, std->shape());
  Tensor wide = convertTensor(*std, DType::Float64);
  for (int64_t i = 0; i < var->numel(); ++i) {
    double s, v;
    std::memcpy(&s, wide.data() + i * 8, 8);
    v = 1.0 / (s * s) - eps;
    std::memcpy(var->mutableData() + i * 8, &v, 8);
  }
  return var;
}

}  // namespace

std::optional<Flow> importBatchNorm(ImportContext& ctx, const Object& m, const std::string& path,
                                    const Flow& input, const T7Op& row) {
  std::optional<Tensor> mean = ctx.tensorField(m, "running_mean");
  double eps = ImportContext::number(m, "eps", 1e-5);
  std::optional<Tensor> var = runningVar(ctx, m, eps);
  if (!mean || !var) return ctx.fail(m, path, "has no running statistics", diag::ModelWeight);
  bool affine = hasTensor(m, "weight");
  std::optional<Flow> flow =
      unary(ctx, m, path, input, row.op.c_str(),
            {{"num_features", Value::ofInt(mean->numel())},
             {"eps", Value::ofFloat(eps)},
             {"momentum", Value::ofFloat(ImportContext::number(m, "momentum", 0.1))},
             {"affine", Value::ofBool(affine)}});
  if (!flow) return std::nullopt;
  if (affine &&
      (!ctx.addWeight(m, "weight", path + ".weight") || !ctx.addWeight(m, "bias", path + ".bias")))
    return std::nullopt;
  ctx.addWeight(path + ".running_mean", *mean);
  ctx.addWeight(path + ".running_var", *var);
  ctx.addWeight(path + ".num_batches_tracked", *Tensor::zeros(DType::Int64, {}));
  return flow;
}


std::optional<Flow> importReLU(ImportContext& ctx, const Object& m, const std::string& path,
                               const Flow& input, const T7Op& row) {
  if (ImportContext::number(m, "threshold") != 0 || ImportContext::number(m, "val") != 0)
    return ctx.fail(m, path, "thresholds other than ReLU's have no catalogue op");
  return unary(ctx, m, path, input, row.op.c_str(), {});
}
std::optional<Flow> importMapped(ImportContext& ctx, const Object& m, const std::string& path,
                                 const Flow& input, const T7Op& row) {
  std::vector<CallArgument> args = ourArguments(row.attrs, [&](const std::string& field) {
    const Object* v = m.get(field.c_str());
    std::optional<Value> value;
    if (v && v->kind == Object::Kind::Boolean) value = Value::ofBool(v->boolean);
    // Lua has one number type; an integral one also binds to a float attribute.
    if (v && v->kind == Object::Kind::Number)
      value = v->number == std::floor(v->number) && std::abs(v->number) < 9e15
                  ? Value::ofInt(int64_t(v->number))
                  : Value::ofFloat(v->number);
    return value;
  });
  return unary(ctx, m, path, input, row.op.c_str(), std::move(args));
}

std::optional<Flow> importPReLU(ImportContext& ctx, const Object& m, const std::string& path,
                                const Flow& input, const T7Op& row) {
  int64_t n = integer(m, "nOutputPlane");
  std::optional<Flow> flow =
      unary(ctx, m, path, input, row.op.c_str(), {{"num_parameters", Value::ofInt(n == 0 ? 1 : n)}});
  if (!flow || !ctx.addWeight(m, "weight", path + ".weight", std::vector<int64_t>{n == 0 ? 1 : n}))
    return std::nullopt;
  return flow;
}

/// nn.SoftMax normalises the feature dim: 0 for 1-D and 3-D inputs, 1 for 2-D and 4-D.
std::optional<Flow> importSoftMax(ImportContext& ctx, const Object& m, const std::string& path,
                                  const Flow& input, const T7Op& row) {
  std::optional<PortRef> in = singleTensor(ctx, m, path, input);
  if (!in) return std::nullopt;
  std::optional<TensorType> type = ctx.typeOf(*in);
  if (!type)
    return ctx.fail(m, path, "needs a known input rank (give the input shape)", diag::InputType);
  int64_t dim = (type->rank() == 1 || type->rank() == 3) ? 0 : 1;
  return unary(ctx, m, path, input, row.op.c_str(), {{"dim", Value::ofInt(dim)}});
}

std::optional<Flow> importMaxPooling(ImportContext& ctx, const Object& m, const std::string& path,
                                     const Flow& input, const T7Op& row) {
  return unary(ctx, m, path, input, row.op.c_str(),
               {{"kernel_size", pairOf(m, "kH", "kW")},
                {"stride", pairOf(m, "dH", "dW", 1)},
                {"padding", pairOf(m, "padH", "padW")},
                {"ceil_mode", Value::ofBool(ImportContext::flag(m, "ceil_mode"))}});
}
std::optional<Flow> importAveragePooling(ImportContext& ctx, const Object& m, const std::string& path,
                                         const Flow& input, const T7Op& row) {
  if (!ImportContext::flag(m, "divide", true))
    return ctx.fail(m, path, "sums instead of averaging (divide=false)");
  return unary(
      ctx, m, path, input, "AvgPool2d",
      {{"kernel_size", pairOf(m, "kH", "kW")},
       {"stride", pairOf(m, "dH", "dW", 1)},
       {"padding", pairOf(m, "padH", "padW")},
       {"ceil_mode", Value::ofBool(ImportContext::flag(m, "ceil_mode"))},
       {"count_include_pad", Value::ofBool(ImportContext::flag(m, "count_include_pad", true))}});
}

std::optional<Flow> importAdaptivePooling(ImportContext& ctx, const Object& m,
                                          const std::string& path, const Flow& input,
                                          const T7Op& row) {
  return unary(ctx, m, path, input, row.op.c_str(), {{"output_size", pairOf(m, "H", "W")}});
}

std::optional<Flow> importDropout(ImportContext& ctx, const Object& m, const std::string& path,
                                  const Flow& input, const T7Op& row) {
  if (!ImportContext::flag(m, "v2"))
    return ctx.fail(m, path, "v1 dropout scales its output at inference; no catalogue op does");
  return unary(ctx, m, path, input, row.op.c_str(),
               {{"p", Value::ofFloat(ImportContext::number(m, "p", 0.5))}});
}

namespace {

std::vector<int64_t> longs(const Object* storage) {
  std::vector<int64_t> values;
  if (!storage || storage->kind != Object::Kind::Storage || storage->dtype != DType::Int64)
    return values;
  values.resize(size_t(storage->storageSize()));
  if (!values.empty())  // an empty vector's data() may be null
    std::memcpy(values.data(), storage->elements.data(), values.size() * sizeof(int64_t));
  return values;
}

}  // namespace

/// nn.View(size), with setNumInputDims(k) or without (k = the input's rank), as View.lua's
/// batchsize computes it: the last k input dims hold `trailing` elements; when they are the
/// whole input and `size` holds them all (or infers a dim), the output is `size`; otherwise
/// it is (batch, size...), the batch taking the remaining elements.
std::optional<Flow> importView(ImportContext& ctx, const Object& m, const std::string& path,
                               const Flow& input, const T7Op& row) {
  std::optional<PortRef> in = singleTensor(ctx, m, path, input);
  if (!in) return std::nullopt;
  std::optional<TensorType> type = ctx.typeOf(*in);
  if (!type)
    return ctx.fail(m, path, "needs a known input rank (give the input shape)", diag::InputType);
  std::vector<int64_t> size = longs(m.get("size"));
  int64_t rank = int64_t(type->rank());
  const Object* n = m.get("numInputDims");
  int64_t k = n && n->kind == Object::Kind::Number ? ImportContext::toInteger(n->number) : rank;
  if (k < 1 || k > rank)
    return ctx.fail(m, path,
                    "numInputDims " + std::to_string(k) + " does not fit an input of rank " +
                        std::to_string(rank));
  bool infers = std::count(size.begin(), size.end(), -1) == 1;
  int64_t elements = 1;
  for (int64_t s : size)
    if (s != -1) elements *= s;
  std::optional<int64_t> trailing = 1;
  for (int64_t d = rank - k; d < rank; ++d)
    trailing = type->dims[d].isKnown() && trailing ? std::optional(*trailing * type->dims[d].value())
                                                   : std::nullopt;
  auto reshape = [&](std::vector<int64_t> shape) {
    return unary(ctx, m, path, input, "Reshape", {{"shape", Value::ofInts(std::move(shape))}});
  };
  std::vector<int64_t> batched = size;
  batched.insert(batched.begin(), -1);
  if (rank == k) {
    if (infers) return reshape(size);
    if (!trailing)
      return ctx.fail(m, path, "whether it adds a batch dim depends on the input's size (give "
                      "the input shape)", diag::InputType);
    return reshape(*trailing == elements ? size : batched);
  }
  if (size.size() == 1 && rank == k + 1 && (infers || trailing == elements))
    return unary(ctx, m, path, input, "Flatten", {{"start_dim", Value::ofInt(1)}});
  if (!infers) return reshape(batched);
  if (!trailing || elements == 0 || *trailing % elements != 0)
    return ctx.fail(m, path, "the size it infers depends on the input's size (give the input "
                    "shape)", diag::InputType);
  std::replace(batched.begin() + 1, batched.end(), int64_t{-1}, *trailing / elements);
  return reshape(batched);
}

std::optional<Flow> importReshape(ImportContext& ctx, const Object& m, const std::string& path,
                                  const Flow& input, const T7Op& row) {
  std::vector<int64_t> size = longs(m.get("size"));
  std::optional<PortRef> in = singleTensor(ctx, m, path, input);
  if (!in) return std::nullopt;
  // nn.Reshape is batched when the input has more elements than `size` holds.
  std::optional<TensorType> type = ctx.typeOf(*in);
  bool batched =
      ImportContext::flag(m, "batchMode", false) ||
      (type && !(type->numel().isKnown() && type->numel().value() == integer(m, "nelement")));
  if (!batched) return unary(ctx, m, path, input, "Reshape", {{"shape", Value::ofInts(size)}});
  size.insert(size.begin(), -1);
  return unary(ctx, m, path, input, "Reshape", {{"shape", Value::ofInts(size)}});
}

std::optional<Flow> importZeroPadding(ImportContext& ctx, const Object& m, const std::string& path,
                                      const Flow& input, const T7Op& row) {
  return unary(ctx, m, path, input, row.op.c_str(),
               {{"padding", Value::ofInts({integer(m, "pad_l"), integer(m, "pad_r"),
                                           integer(m, "pad_t"), integer(m, "pad_b")})}});
}

std::optional<Flow> importNarrow(ImportContext& ctx, const Object& m, const std::string& path,
                                 const Flow& input, const T7Op& row) {
  int64_t dimension = integer(m, "dimension", 1), index = integer(m, "index", 1);
  int64_t length = integer(m, "length", 1);
  if (length < 0)
    return ctx.fail(m, path, "negative lengths (counted from the end) are not mapped");
  int64_t dim = dimension > 0 ? dimension - 1 : dimension;
  return unary(ctx, m, path, input, row.op.c_str(),
               {{"dim", Value::ofInt(dim)},
                {"start", Value::ofInt(index - 1)},
                {"end", Value::ofInt(index - 1 + length)}});
}

std::optional<Flow> importLookupTable(ImportContext& ctx, const Object& m, const std::string& path,
                                      const Flow& input, const T7Op& row) {
  const Object* w = m.get("weight");
  if (!w || w->sizes.size() != 2) return ctx.fail(m, path, "has no 2-D weight", diag::ModelWeight);
  ctx.warn("'" + path + "': " + row.caveat);
  Args args = {{"num_embeddings", Value::ofInt(w->sizes[0])},
               {"embedding_dim", Value::ofInt(w->sizes[1])}};
  int64_t padding = integer(m, "paddingValue");
  if (padding > 0) args.push_back({"padding_idx", Value::ofInt(padding - 1)});
  std::optional<Flow> flow = unary(ctx, m, path, input, row.op.c_str(), std::move(args));
  if (!flow || !ctx.addWeight(m, "weight", path + ".weight")) return std::nullopt;
  return flow;
}

}  // namespace sketch::t7
