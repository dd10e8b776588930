#include "module_table.h"

#include <array>
#include <cstring>

#include "weights/convert.h"

namespace sketch::t7 {

namespace {

int64_t intAttr(const Node& n, const char* name) { return n.attrs.at(name).asInt(); }
double numAttr(const Node& n, const char* name) { return n.attrs.at(name).asNumber(); }
bool boolAttr(const Node& n, const char* name) { return n.attrs.at(name).asBool(); }

/// An IntN attribute as (h, w): PyTorch accepts 3 or (3, 3).
std::pair<int64_t, int64_t> pairAttr(const Node& n, const char* name) {
  const Value& v = n.attrs.at(name);
  if (v.isInt()) return {v.asInt(), v.asInt()};
  std::vector<int64_t> items = v.asInts();
  return {items[0], items[1]};
}

bool isOne(const Node& n, const char* name) {
  return pairAttr(n, name) == std::make_pair(int64_t{1}, int64_t{1});
}

bool isNoneOrFalse(const Node& n, const char* name) {
  auto it = n.attrs.find(name);
  return it == n.attrs.end() || it->second.isNone() ||
         (it->second.isBool() && !it->second.asBool());
}

size_t outputRank(const Node& n) { return n.outputs.empty() ? 0 : n.outputs[0].rank(); }

void setNumber(const ModuleContext& c, Object* m, const char* key, double v) {
  c.doc.set(m, key, c.doc.number(v));
}

void setBool(const ModuleContext& c, Object* m, const char* key, bool v) {
  c.doc.set(m, key, c.doc.boolean(v));
}

/// A boolean or number field.
void setField(const ModuleContext& c, Object* m, const std::string& key, const Value& v) {
  if (v.isBool()) return setBool(c, m, key.c_str(), v.asBool());
  setNumber(c, m, key.c_str(), v.asNumber());
}

void setEmpty(const ModuleContext& c, Object* m, const char* key) {
  c.doc.set(m, key, c.emptyTensor());
}

/// kW, kH, dW, dH, padW, padH from a 2-D window op (Lua order: width first).
void setWindow(const ModuleContext& c, Object* m, const char* kernelAttr) {
  auto [kh, kw] = pairAttr(c.node, kernelAttr);
  const Value& strideValue = c.node.attrs.at("stride");
  auto [dh, dw] = strideValue.isNone() ? std::make_pair(kh, kw) : pairAttr(c.node, "stride");
  auto [ph, pw] = pairAttr(c.node, "padding");
  setNumber(c, m, "kW", double(kw));
  setNumber(c, m, "kH", double(kh));
  setNumber(c, m, "dW", double(dw));
  setNumber(c, m, "dH", double(dh));
  setNumber(c, m, "padW", double(pw));
  setNumber(c, m, "padH", double(ph));
}

Object* longStorage(const ModuleContext& c, const std::vector<int64_t>& values) {
  Tensor elements = *Tensor::zeros(DType::Int64, {static_cast<int64_t>(values.size())});
  if (!values.empty())  // an empty vector's data() may be null
    std::memcpy(elements.mutableData(), values.data(), elements.byteSize());
  return c.doc.storage(elements);
}

Object* convolution(const ModuleContext& c, const char* className) {
  Object* m = c.module(className);
  setNumber(c, m, "nInputPlane", double(intAttr(c.node, "in_channels")));
  setNumber(c, m, "nOutputPlane", double(intAttr(c.node, "out_channels")));
  setWindow(c, m, "kernel_size");
  c.setParam(m, "weight", "gradWeight", "weight");
  if (boolAttr(c.node, "bias")) c.setParam(m, "bias", "gradBias", "bias");
  setEmpty(c, m, "finput");
  setEmpty(c, m, "fgradInput");
  return m;
}

Object* batchNorm(const ModuleContext& c, const char* className) {
  Object* m = c.module(className, 2);  // V 2: running_var (V 1 stored running_std)
  bool affine = boolAttr(c.node, "affine");
  c.doc.set(m, "running_mean", c.param("running_mean"));
  c.doc.set(m, "running_var", c.param("running_var"));
  if (affine) {
    c.setParam(m, "weight", "gradWeight", "weight");
    c.setParam(m, "bias", "gradBias", "bias");
  }
  setNumber(c, m, "eps", numAttr(c.node, "eps"));
  const Value& momentum = c.node.attrs.at("momentum");
  setNumber(c, m, "momentum", momentum.isNone() ? 0.1 : momentum.asNumber());
  setBool(c, m, "affine", affine);
  setEmpty(c, m, "save_mean");
  setEmpty(c, m, "save_std");
  return m;
}

void setInputSize(const ModuleContext& c, Object* m) {
  // Lua records the last input's size; only known sizes can be written.
  const TensorType& in = c.inputType();
  const Dim& h = in.dim(-2);
  const Dim& w = in.dim(-1);
  if (h.isKnown()) setNumber(c, m, "iheight", double(h.value()));
  if (w.isKnown()) setNumber(c, m, "iwidth", double(w.value()));
}

Object* averagePooling(const ModuleContext& c, const T7Op& row, std::array<int64_t, 6> window,
                       bool ceil, bool countPad) {
  Object* m = c.module(row.foreign);
  const char* keys[] = {"kW", "kH", "dW", "dH", "padW", "padH"};
  for (size_t i = 0; i < window.size(); ++i) setNumber(c, m, keys[i], double(window[i]));
  setBool(c, m, "ceil_mode", ceil);
  setBool(c, m, "count_include_pad", countPad);
  setBool(c, m, "divide", true);
  return m;
}

/// Reshapes that keep the batch dim and make known sizes of the rest.
bool supportsBatchView(const Node& n) {
  if (n.outputs.empty() || n.outputs[0].rank() < 2) return false;
  for (size_t d = 1; d < n.outputs[0].rank(); ++d)
    if (!n.outputs[0].dims[d].isKnown()) return false;
  return true;
}

/// One [(in + hidden), gates*hidden] weight (rows: Wx then Wh) and a [gates*hidden] bias from
/// PyTorch's weight_ih [g*H, in], weight_hh [g*H, H], bias_ih + bias_hh; `order[k]` is the
/// PyTorch gate that Lua's gate k comes from.
void setRecurrentParams(const ModuleContext& c, Object* m, const std::vector<int>& order) {
  int64_t in = intAttr(c.node, "input_size"), hidden = intAttr(c.node, "hidden_size");
  int64_t gates = int64_t(order.size());
  auto load = [&](const std::string& name) {
    return convertTensor(*c.weights.find(c.node.path + "." + name), DType::Float64);
  };
  Tensor wih = load("weight_ih_l0"), whh = load("weight_hh_l0");
  Tensor bih = load("bias_ih_l0"), bhh = load("bias_hh_l0");
  auto at = [](const Tensor& t, int64_t i) {
    double v;
    std::memcpy(&v, t.data() + i * sizeof(double), sizeof(double));
    return v;
  };
  std::vector<double> weight((in + hidden) * gates * hidden), bias(gates * hidden);
  for (int64_t k = 0; k < gates; ++k) {
    for (int64_t h = 0; h < hidden; ++h) {
      int64_t col = k * hidden + h, row = order[k] * hidden + h;
      for (int64_t i = 0; i < in; ++i) weight[i * gates * hidden + col] = at(wih, row * in + i);
      for (int64_t j = 0; j < hidden; ++j)
        weight[(in + j) * gates * hidden + col] = at(whh, row * hidden + j);
      bias[col] = at(bih, row) + at(bhh, row);
    }
  }
  auto tensorOf = [&](std::vector<double>& v, std::vector<int64_t> shape) {
    Tensor t = *Tensor::zeros(DType::Float64, std::move(shape));
    std::memcpy(t.mutableData(), v.data(), t.byteSize());
    return fromTensor(c.doc, t, c.dtype);
  };
  Object* w = tensorOf(weight, {in + hidden, gates * hidden});
  Object* b = tensorOf(bias, {gates * hidden});
  c.doc.set(m, "weight", w);
  c.doc.set(m, "bias", b);
  c.doc.set(m, "gradWeight", c.zerosLike(w));
  c.doc.set(m, "gradBias", c.zerosLike(b));
  setNumber(c, m, "inputsize", double(in));
  setNumber(c, m, "outputsize", double(hidden));
  for (const char* buffer : {"h0", "gates", "buffer1", "buffer2", "buffer3", "grad_a_buffer"})
    setEmpty(c, m, buffer);
  setBool(c, m, "maskzero", false);
  c.doc.set(m, "_remember", c.doc.string("neither"));
  setBool(c, m, "recompute_backward", true);
  setBool(c, m, "v2", true);
}

}  // namespace

// ---- convolutions and linear --------------------------------------------------------------

bool plainConv(const Node& n) {
  return intAttr(n, "groups") == 1 && isOne(n, "dilation") && !n.attrs.at("padding").isString() &&
         n.attrs.at("padding_mode").asString() == "zeros";
}

Object* buildConv(const ModuleContext& c, const T7Op& row) {
  return convolution(c, row.foreign.c_str());
}

Object* buildConvTranspose(const ModuleContext& c, const T7Op& row) {
  // PyTorch's ConvTranspose2d weight is [in, out, kH, kW], exactly SpatialFullConvolution's.
  Object* m = convolution(c, row.foreign.c_str());
  auto [ah, aw] = pairAttr(c.node, "output_padding");
  setNumber(c, m, "adjW", double(aw));
  setNumber(c, m, "adjH", double(ah));
  return m;
}

bool supportsLinear(const Node& n) { return outputRank(n) <= 2; }  // nn.Linear: 1-D or 2-D

Object* buildLinear(const ModuleContext& c, const T7Op& row) {
  Object* m = c.module(row.foreign);
  c.setParam(m, "weight", "gradWeight", "weight");
  if (boolAttr(c.node, "bias")) c.setParam(m, "bias", "gradBias", "bias");
  setEmpty(c, m, "addBuffer");
  return m;
}

// ---- normalisation --------------------------------------------------------------------

bool supportsBatchNorm(const Node& n) { return boolAttr(n, "track_running_stats"); }

/// nn.BatchNormalization takes [N, C] only ([N, C, L] would need a transpose around it).
bool supportsBatchNorm1d(const Node& n) { return supportsBatchNorm(n) && outputRank(n) == 2; }

Object* buildBatchNorm(const ModuleContext& c, const T7Op& row) {
  return batchNorm(c, row.foreign.c_str());
}

// ---- activations ------------------------------------------------------------------------

Object* buildMapped(const ModuleContext& c, const T7Op& row) {
  Object* m = c.module(row.foreign);
  for (const AttrMapping& a : row.attrs) setField(c, m, a.theirs, theirValue(a, c.node.attrs));
  for (const auto& [name, value] : row.fields) setField(c, m, name, value);
  return m;
}

Object* buildPReLU(const ModuleContext& c, const T7Op& row) {
  Object* m = c.module(row.foreign);
  int64_t n = intAttr(c.node, "num_parameters");
  setNumber(c, m, "nOutputPlane", n == 1 ? 0 : double(n));  // 0: one shared slope
  c.setParam(m, "weight", "gradWeight", "weight");
  return m;
}

/// nn.SoftMax works over the feature dim: dim 0 of 1-D and 3-D inputs, dim 1 of 2-D and 4-D.
bool supportsSoftmax(const Node& n) {
  const Value& dim = n.attrs.at("dim");
  if (dim.isNone()) return false;
  int64_t rank = int64_t(outputRank(n));
  int64_t d = dim.asInt() < 0 ? dim.asInt() + rank : dim.asInt();
  return (rank == 1 || rank == 3) ? d == 0 : (rank == 2 || rank == 4) && d == 1;
}

// ---- pooling ------------------------------------------------------------------------------

bool supportsMaxPool(const Node& n) {
  return isOne(n, "dilation") && !boolAttr(n, "return_indices");
}

Object* buildMaxPool(const ModuleContext& c, const T7Op& row) {
  Object* m = c.module(row.foreign);
  setWindow(c, m, "kernel_size");
  setBool(c, m, "ceil_mode", boolAttr(c.node, "ceil_mode"));
  c.doc.set(m, "indices", c.doc.tensor(DType::Int64, {}, nullptr));
  setInputSize(c, m);
  return m;
}

bool supportsAvgPool(const Node& n) { return isNoneOrFalse(n, "divisor_override"); }

Object* buildAvgPool(const ModuleContext& c, const T7Op& row) {
  auto [kh, kw] = pairAttr(c.node, "kernel_size");
  auto [dh, dw] =
      c.node.attrs.at("stride").isNone() ? std::make_pair(kh, kw) : pairAttr(c.node, "stride");
  auto [ph, pw] = pairAttr(c.node, "padding");
  return averagePooling(c, row, {kw, kh, dw, dh, pw, ph}, boolAttr(c.node, "ceil_mode"),
                        boolAttr(c.node, "count_include_pad"));
}

/// nn.SpatialAdaptive{Average,Max}Pooling(W, H) computes the op for every input size; an
/// output_size entry of none (keep the input's size) has no such module.
bool supportsAdaptivePool(const Node& n) {
  const Value& size = n.attrs.at("output_size");
  bool sized = size.isInt() || (size.isIntList() && size.asInts().size() == 2);
  return sized && outputRank(n) >= 3 && isNoneOrFalse(n, "return_indices");
}

Object* buildAdaptivePool(const ModuleContext& c, const T7Op& row) {
  auto [h, w] = pairAttr(c.node, "output_size");
  Object* m = c.module(row.foreign);
  setNumber(c, m, "W", double(w));
  setNumber(c, m, "H", double(h));
  if (c.node.op->family() == "AdaptiveMaxPool")
    c.doc.set(m, "indices", c.doc.tensor(DType::Int64, {}, nullptr));
  return m;
}

// ---- regularisation, identity, reshaping ------------------------------------------------

Object* buildDropout(const ModuleContext& c, const T7Op& row) {
  Object* m = c.module(row.foreign);
  setNumber(c, m, "p", numAttr(c.node, "p"));  // inplace stays nil, as nn.Dropout(p) leaves it
  setBool(c, m, "stochastic_inference", false);
  setBool(c, m, "v2", true);  // v1 scales at inference time instead of at training time
  setEmpty(c, m, "noise");
  return m;
}

/// A View keeping dim 0 (the batch) and reshaping the rest to the node's output dims.
Object* buildBatchView(const ModuleContext& c, const T7Op& row) {
  Object* m = c.module(row.foreign);
  std::vector<int64_t> size;
  int64_t elements = 1;
  const TensorType& out = c.node.outputs[0];
  for (size_t d = 1; d < out.rank(); ++d) {
    size.push_back(out.dims[d].value());
    elements *= out.dims[d].value();
  }
  c.doc.set(m, "size", longStorage(c, size));
  setNumber(c, m, "numElements", double(elements));
  setNumber(c, m, "numInputDims", double(c.inputType().rank() - 1));
  return m;
}

bool supportsFlatten(const Node& n) {
  return intAttr(n, "start_dim") == 1 && intAttr(n, "end_dim") == -1 && supportsBatchView(n);
}

bool supportsReshape(const Node& n) {
  std::vector<int64_t> shape = n.attrs.at("shape").asInts();
  return !shape.empty() && shape[0] == -1 && supportsBatchView(n);
}

bool supportsEmbedding(const Node& n) { return isNoneOrFalse(n, "max_norm"); }

Object* buildEmbedding(const ModuleContext& c, const T7Op& row) {
  Object* m = c.module(row.foreign, 4);
  c.setParam(m, "weight", "gradWeight", "weight");
  const Value& padding = c.node.attrs.at("padding_idx");
  // Lua indices are 1-based; 0 means no padding index.
  setNumber(c, m, "paddingValue", padding.isNone() ? 0 : double(padding.asInt() + 1));
  setBool(c, m, "shouldScaleGradByFreq", boolAttr(c.node, "scale_grad_by_freq"));
  return m;
}

// ---- merges (after a ConcatTable) ----------------------------------------------------------

/// Table modules take a table: their gradInput is one too. nn.CAddTable() leaves inplace
/// nil.

Object* buildTableModule(const ModuleContext& c, const T7Op& row) {
  return c.module(row.foreign, 1, TableField::GradInput);
}

Object* buildJoinTable(const ModuleContext& c, const T7Op& row) {
  Object* m = buildTableModule(c, row);
  int64_t rank = int64_t(c.node.outputs[0].rank());
  int64_t dim = intAttr(c.node, "dim");
  setNumber(c, m, "dimension", double((dim < 0 ? dim + rank : dim) + 1));  // 1-based
  c.doc.set(m, "size", longStorage(c, {}));
  return m;
}

// ---- recurrent (torch/rnn's SeqLSTM and SeqGRU) ----------------------------------------------

bool supportsRecurrent(const Node& n) {
  bool plain = intAttr(n, "num_layers") == 1 && !boolAttr(n, "bidirectional") &&
               !boolAttr(n, "batch_first") && boolAttr(n, "bias");
  auto proj = n.attrs.find("proj_size");
  return plain && (proj == n.attrs.end() || proj->second.asInt() == 0);
}

Object* buildLSTM(const ModuleContext& c, const T7Op& row) {
  Object* m = c.module(row.foreign);
  setRecurrentParams(c, m, {0, 1, 3, 2});  // Lua i, f, o, g; PyTorch i, f, g, o
  setNumber(c, m, "hiddensize", double(intAttr(c.node, "hidden_size")));
  setEmpty(c, m, "c0");
  setEmpty(c, m, "cell");
  return m;
}

Object* buildGRU(const ModuleContext& c, const T7Op& row) {
  Object* m = c.module(row.foreign);
  setRecurrentParams(c, m, {0, 1, 2});  // r, z, n in both
  return m;
}

Object* newModule(Document& doc, DType dtype, const std::string& className, int version,
                  TableField tables) {
  Object* m = doc.instance(className, version);
  auto field = [&](TableField asTable) {
    return tables == asTable ? doc.table() : doc.tensor(dtype, {}, nullptr);
  };
  doc.set(m, "output", field(TableField::Output));
  doc.set(m, "gradInput", field(TableField::GradInput));
  doc.set(m, "_type", doc.string(*tensorClassName(dtype)));
  doc.set(m, "train", doc.boolean(false));
  return m;
}

Object* ModuleContext::emptyTensor() const { return doc.tensor(dtype, {}, nullptr); }

Object* ModuleContext::param(const std::string& name) const {
  return fromTensor(doc, *weights.find(node.path + "." + name), dtype);
}

void ModuleContext::setParam(Object* m, const std::string& field, const std::string& gradField,
                             const std::string& name) const {
  Object* value = param(name);
  doc.set(m, field, value);
  doc.set(m, gradField, zerosLike(value));
}

Object* ModuleContext::zerosLike(const Object* tensor) const {
  return doc.tensor(dtype, tensor->sizes, doc.zeroStorage(dtype, tensor->storage->storageSize()));
}

}  // namespace sketch::t7
