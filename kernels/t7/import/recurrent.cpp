// torch/rnn's SeqLSTM and SeqGRU -> LSTM and GRU. Lua keeps one [(in + H), gates*H]
// weight (rows: input then hidden) and one bias; PyTorch keeps weight_ih [gates*H, in],
// weight_hh [gates*H, H], bias_ih and bias_hh (the bias goes to bias_ih, bias_hh is zero).
// SeqLSTM's gates are i, f, o, g and PyTorch's i, f, g, o.
#include <cstring>

#include "converters.h"
#include "weights/convert.h"

namespace sketch::t7 {

namespace {

/// Splits the Lua weight and bias into PyTorch's four tensors; `order[k]` is the Lua gate
/// that PyTorch gate k comes from.
bool splitWeights(ImportContext& ctx, const Object& m, const std::string& path, int64_t in,
                  int64_t hidden, const std::vector<int>& order) {
  std::optional<Tensor> weight = ctx.tensorField(m, "weight");
  std::optional<Tensor> bias = ctx.tensorField(m, "bias");
  int64_t gates = int64_t(order.size());
  // in and hidden come from the file: their products are checked before use.
  int64_t gateRows = 0, rows = 0, weights = 0;
  if (in < 1 || hidden < 1 || __builtin_mul_overflow(gates, hidden, &gateRows) ||
      __builtin_add_overflow(in, hidden, &rows) ||
      __builtin_mul_overflow(rows, gateRows, &weights) || !weight || !bias ||
      weight->numel() != weights || bias->numel() != gateRows)
    return false;
  DType dtype = weight->dtype();
  Tensor w = convertTensor(*weight, DType::Float64), b = convertTensor(*bias, DType::Float64);
  auto at = [](const Tensor& t, int64_t i) {
    double v;
    std::memcpy(&v, t.data() + i * 8, 8);
    return v;
  };
  Tensor wih = *Tensor::zeros(DType::Float64, {gates * hidden, in});
  Tensor whh = *Tensor::zeros(DType::Float64, {gates * hidden, hidden});
  Tensor bih = *Tensor::zeros(DType::Float64, {gates * hidden});
  auto put = [](Tensor& t, int64_t i, double v) { std::memcpy(t.mutableData() + i * 8, &v, 8); };
  for (int64_t k = 0; k < gates; ++k) {
    for (int64_t h = 0; h < hidden; ++h) {
      int64_t row = k * hidden + h, col = order[k] * hidden + h;
      for (int64_t i = 0; i < in; ++i) put(wih, row * in + i, at(w, i * gates * hidden + col));
      for (int64_t j = 0; j < hidden; ++j)
        put(whh, row * hidden + j, at(w, (in + j) * gates * hidden + col));
      put(bih, row, at(b, col));
    }
  }
  ctx.addWeight(path + ".weight_ih_l0", convertTensor(wih, dtype));
  ctx.addWeight(path + ".weight_hh_l0", convertTensor(whh, dtype));
  ctx.addWeight(path + ".bias_ih_l0", convertTensor(bih, dtype));
  ctx.addWeight(path + ".bias_hh_l0", *Tensor::zeros(dtype, {gates * hidden}));
  return true;
}

std::optional<Flow> recurrent(ImportContext& ctx, const Object& m, const std::string& path,
                              const Flow& input, const char* op, const std::vector<int>& order) {
  std::optional<PortRef> in = singleTensor(ctx, m, path, input);
  if (!in) return std::nullopt;
  if (ImportContext::flag(m, "maskzero"))
    return ctx.fail(m, path, "maskzero (zero-masked steps) has no catalogue equivalent");
  int64_t inputSize = ImportContext::integer(m, "inputsize");
  int64_t hidden = ImportContext::integer(m, "outputsize");
  if (ImportContext::number(m, "hiddensize", double(hidden)) != double(hidden))
    return ctx.fail(m, path, "projections (hiddensize != outputsize) are not mapped");
  std::optional<PortRef> out =
      ctx.addNode(op, path,
                  {{"input_size", Value::ofInt(inputSize)},
                   {"hidden_size", Value::ofInt(hidden)},
                   {"batch_first", Value::ofBool(ImportContext::flag(m, "batchfirst"))}},
                  {*in});
  if (!out) return std::nullopt;
  if (!splitWeights(ctx, m, path, inputSize, hidden, order))
    return ctx.fail(m, path, "weight or bias does not match inputsize and outputsize",
                    diag::ModelWeight);
  return Flow::tensor(*out);
}

}  // namespace

std::optional<Flow> importSeqLSTM(ImportContext& ctx, const Object& m, const std::string& path,
                                  const Flow& input, const T7Op& row) {
  return recurrent(ctx, m, path, input, row.op.c_str(), {0, 1, 3, 2});
}

std::optional<Flow> importSeqGRU(ImportContext& ctx, const Object& m, const std::string& path,
                                 const Flow& input, const T7Op& row) {
  ctx.warn("'" + path + "': " + row.caveat);
  return recurrent(ctx, m, path, input, row.op.c_str(), {0, 1, 2});
}

}  // namespace sketch::t7
