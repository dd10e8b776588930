// fold_constants: evaluates the shape arithmetic torch.onnx.export writes around Reshape,
// Expand and RNN states (Shape -> Gather -> Unsqueeze -> Concat, Cast, ConstantOfShape, ...)
// once shapes are known, so that converters see constant operands. Only small tensors are
// folded: this is shape arithmetic, not a runtime.
#include <algorithm>
#include <cstring>
#include <functional>

#include "import/onnx_graph.h"

namespace sketch::onnx_import {

namespace {

// Larger results are left to the model: folding them would copy weights, not shapes.
constexpr int64_t kMaxFoldedElements = 1 << 16;

/// A small dense array used while folding; integers and floats kept apart so that int64
/// bounds such as INT64_MAX survive.
struct Array {
  DType dtype = DType::Int64;
  std::vector<int64_t> shape;
  std::vector<int64_t> ints;
  std::vector<double> floats;

  bool isInt() const { return !isFloatingPoint(dtype); }
  size_t size() const { return isInt() ? ints.size() : floats.size(); }
};

Array arrayOf(const Tensor& t) {
  Array a;
  a.dtype = t.dtype();
  a.shape = t.shape();
  if (a.isInt())
    a.ints = intElements(t);
  else
    a.floats = floatElements(t);
  return a;
}

std::optional<Tensor> tensorOf(const Array& a) {
  auto t = Tensor::zeros(a.dtype, a.shape);
  if (!t) return std::nullopt;
  for (size_t i = 0; i < a.size(); ++i) {
    uint8_t* p = t->mutableData() + i * dtypeSize(a.dtype);
    switch (a.dtype) {
      case DType::Int64:
        std::memcpy(p, &a.ints[i], 8);
        break;
      case DType::Int32: {
        int32_t v = int32_t(a.ints[i]);
        std::memcpy(p, &v, 4);
        break;
      }
      case DType::Bool:
      case DType::UInt8:
        *p = uint8_t(a.ints[i]);
        break;
      case DType::Int8:
        *p = uint8_t(int8_t(a.ints[i]));
        break;
      case DType::Float32: {
        float v = float(a.floats[i]);
        std::memcpy(p, &v, 4);
        break;
      }
      case DType::Float64:
        std::memcpy(p, &a.floats[i], 8);
        break;
      default:
        return std::nullopt;
    }
  }
  return t;
}

/// Elements of `shape`; INT64_MAX for a negative dim or a product beyond 64 bits, which no
/// folded array can have (shapes come from the file).
int64_t count(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    if (d < 0 || __builtin_mul_overflow(n, d, &n)) return INT64_MAX;
  return n;
}

Array cast(const Array& a, DType to) {
  Array out;
  out.dtype = to;
  out.shape = a.shape;
  if (out.isInt() && a.isInt()) out.ints = a.ints;
  if (!out.isInt() && !a.isInt()) out.floats = a.floats;
  if (out.isInt() && !a.isInt())
    for (double v : a.floats) out.ints.push_back(toInt64(v));
  if (!out.isInt() && a.isInt())
    for (int64_t v : a.ints) out.floats.push_back(static_cast<double>(v));
  return out;
}

/// Numpy broadcasting of two arrays through `op` on doubles or ints.
std::optional<Array> broadcast(const Array& a, const Array& b, const std::string& op) {
  size_t rank = std::max(a.shape.size(), b.shape.size());
  std::vector<int64_t> sa(rank, 1), sb(rank, 1), out(rank);
  std::copy(a.shape.begin(), a.shape.end(), sa.end() - a.shape.size());
  std::copy(b.shape.begin(), b.shape.end(), sb.end() - b.shape.size());
  for (size_t i = 0; i < rank; ++i) {
    if (sa[i] != sb[i] && sa[i] != 1 && sb[i] != 1) return std::nullopt;
    out[i] = std::max(sa[i], sb[i]);
  }
  Array r;
  r.dtype = a.dtype;
  r.shape = out;
  int64_t n = count(out);
  if (n > kMaxFoldedElements) return std::nullopt;
  auto index = [&](const std::vector<int64_t>& s, int64_t flat) {
    int64_t idx = 0, stride = 1;
    for (size_t i = rank; i-- > 0;) {
      int64_t coord = flat % out[i];
      flat /= out[i];
      if (s[i] != 1) idx += coord * stride;
      stride *= s[i];
    }
    return idx;
  };
  for (int64_t k = 0; k < n; ++k) {
    int64_t ia = index(sa, k), ib = index(sb, k);
    if (op == "Expand") {
      if (a.isInt())
        r.ints.push_back(a.ints[ia]);
      else
        r.floats.push_back(a.floats[ia]);
      continue;
    }
    if (a.isInt()) {
      int64_t x = a.ints[ia], y = b.ints[ib];
      if (op == "Div" && y == 0) return std::nullopt;
      r.ints.push_back(op == "Add" ? x + y : op == "Sub" ? x - y : op == "Mul" ? x * y : x / y);
    } else {
      double x = a.floats[ia], y = b.floats[ib];
      r.floats.push_back(op == "Add" ? x + y : op == "Sub" ? x - y : op == "Mul" ? x * y : x / y);
    }
  }
  return r;
}

int64_t wrapAxis(int64_t axis, size_t rank) { return axis < 0 ? axis + int64_t(rank) : axis; }

/// Gather/Concat/Slice share this walk: an array as [outer, dim, inner] blocks.
struct Blocks {
  int64_t outer = 1, dim = 1, inner = 1;
};
Blocks blocksOf(const std::vector<int64_t>& shape, int64_t axis) {
  Blocks b;
  for (int64_t i = 0; i < axis; ++i) b.outer *= shape[i];
  b.dim = shape[axis];
  for (size_t i = axis + 1; i < shape.size(); ++i) b.inner *= shape[i];
  return b;
}

void copyElement(const Array& from, int64_t index, Array& to) {
  if (from.isInt())
    to.ints.push_back(from.ints[index]);
  else
    to.floats.push_back(from.floats[index]);
}

std::optional<Array> gather(const Array& data, const Array& indices, int64_t axis) {
  axis = wrapAxis(axis, data.shape.size());
  if (axis < 0 || axis >= int64_t(data.shape.size()) || !indices.isInt()) return std::nullopt;
  Blocks b = blocksOf(data.shape, axis);
  Array r;
  r.dtype = data.dtype;
  r.shape.assign(data.shape.begin(), data.shape.begin() + axis);
  r.shape.insert(r.shape.end(), indices.shape.begin(), indices.shape.end());
  r.shape.insert(r.shape.end(), data.shape.begin() + axis + 1, data.shape.end());
  for (int64_t o = 0; o < b.outer; ++o)
    for (int64_t idx : indices.ints) {
      if (idx < 0) idx += b.dim;
      if (idx < 0 || idx >= b.dim) return std::nullopt;
      for (int64_t i = 0; i < b.inner; ++i) copyElement(data, (o * b.dim + idx) * b.inner + i, r);
    }
  return r;
}

std::optional<Array> concat(const std::vector<Array>& parts, int64_t axis) {
  if (parts.empty()) return std::nullopt;
  axis = wrapAxis(axis, parts[0].shape.size());
  if (axis < 0 || axis >= int64_t(parts[0].shape.size())) return std::nullopt;
  Array r;
  r.dtype = parts[0].dtype;
  r.shape = parts[0].shape;
  r.shape[axis] = 0;
  for (const Array& p : parts) {
    if (p.shape.size() != r.shape.size() || p.isInt() != r.isInt()) return std::nullopt;
    r.shape[axis] += p.shape[axis];
  }
  int64_t outer = blocksOf(r.shape, axis).outer;
  for (int64_t o = 0; o < outer; ++o)
    for (const Array& p : parts) {
      Blocks b = blocksOf(p.shape, axis);
      for (int64_t i = 0; i < b.dim * b.inner; ++i) copyElement(p, o * b.dim * b.inner + i, r);
    }
  return r;
}

std::vector<int64_t> stridesOf(const std::vector<int64_t>& shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) strides[i - 1] = strides[i] * shape[i];
  return strides;
}

/// An array of `shape` whose element at each index is `data`'s at sum(index[d] * step[d])
/// + offset: the walk Slice and Transpose share. Nothing when the walk leaves `data`.
std::optional<Array> gatherStrided(const Array& data, const std::vector<int64_t>& shape,
                                   int64_t offset, const std::vector<int64_t>& step) {
  Array r;
  r.dtype = data.dtype;
  r.shape = shape;
  int64_t total = count(shape);
  if (total > int64_t(data.size())) return std::nullopt;
  for (int64_t flat = 0; flat < total; ++flat) {
    int64_t rest = flat, index = offset;
    for (size_t d = shape.size(); d-- > 0;) {
      index += (rest % shape[d]) * step[d];
      rest /= shape[d];
    }
    if (index < 0 || index >= int64_t(data.size())) return std::nullopt;
    copyElement(data, index, r);
  }
  return r;
}

/// ONNX Slice: starts/ends clamped per axis, negative values counted from the end.
std::optional<Array> slice(const Array& data, const std::vector<int64_t>& starts,
                           const std::vector<int64_t>& ends, std::vector<int64_t> axes,
                           std::vector<int64_t> steps) {
  size_t rank = data.shape.size();
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(int64_t(i));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    return std::nullopt;
  std::vector<int64_t> strides = stridesOf(data.shape), shape = data.shape, step = strides;
  int64_t offset = 0;
  for (size_t k = 0; k < starts.size(); ++k) {
    int64_t axis = wrapAxis(axes[k], rank), s = steps[k];
    if (axis < 0 || axis >= int64_t(rank) || s == 0) return std::nullopt;
    int64_t n = data.shape[axis];
    auto clampIndex = [&](int64_t v) {
      if (v < 0) v += n;
      return s > 0 ? std::max<int64_t>(0, std::min(n, v))
                   : std::max<int64_t>(-1, std::min(n - 1, v));
    };
    int64_t start = clampIndex(starts[k]), end = clampIndex(ends[k]);
    // Steps come from the file: written so that no step size can overflow.
    int64_t span = s > 0 ? end - start : start - end;
    uint64_t stride = s > 0 ? uint64_t(s) : 0 - uint64_t(s);
    shape[axis] = span > 0 ? int64_t((uint64_t(span) - 1) / stride + 1) : 0;
    offset += start * strides[axis];
    if (__builtin_mul_overflow(s, strides[axis], &step[axis])) return std::nullopt;
  }
  return gatherStrided(data, shape, offset, step);
}

std::optional<Array> transpose(const Array& data, std::vector<int64_t> perm) {
  size_t rank = data.shape.size();
  if (perm.empty())
    for (size_t i = rank; i-- > 0;) perm.push_back(int64_t(i));
  if (perm.size() != rank) return std::nullopt;
  std::vector<int64_t> strides = stridesOf(data.shape), shape, step;
  std::vector<bool> used(rank, false);
  for (int64_t p : perm) {
    if (p < 0 || p >= int64_t(rank) || used[size_t(p)]) return std::nullopt;  // not a permutation
    used[size_t(p)] = true;
    shape.push_back(data.shape[p]);
    step.push_back(strides[p]);
  }
  return gatherStrided(data, shape, 0, step);
}

/// `a` broadcast to `shape` (Expand, ConstantOfShape).
std::optional<Array> expand(const Array& a, const std::vector<int64_t>& shape) {
  if (count(shape) > kMaxFoldedElements) return std::nullopt;
  Array target;
  target.dtype = a.dtype;
  target.shape = shape;
  if (a.isInt())
    target.ints.assign(count(shape), 0);
  else
    target.floats.assign(count(shape), 0.0);
  return broadcast(a, target, "Expand");
}

std::optional<Array> shapeOf(const onnx::NodeProto& node, const OnnxGraph& graph) {
  const ValueInfo* in = graph.find(node.input(0));
  if (!in || !in->type) return std::nullopt;
  Array r;
  for (const Dim& d : in->type->dims) {
    if (!d.isKnown()) return std::nullopt;
    r.ints.push_back(d.value());
  }
  int64_t rank = int64_t(r.ints.size());
  int64_t start = wrapAxis(intAttribute(node, "start", 0), rank);
  int64_t end = wrapAxis(intAttribute(node, "end", rank), rank);
  start = std::max<int64_t>(0, std::min(start, rank));
  end = std::max(start, std::min(end, rank));
  r.ints = std::vector<int64_t>(r.ints.begin() + start, r.ints.begin() + end);
  r.shape = {int64_t(r.ints.size())};
  return r;
}

/// Unsqueeze/Squeeze/Reshape/Flatten of a constant: same elements, new shape.
std::optional<Array> reshaped(Array a, const std::string& op, const std::vector<int64_t>& arg) {
  std::vector<int64_t>& s = a.shape;
  if (op == "Unsqueeze") {
    size_t rank = s.size() + arg.size();
    std::vector<int64_t> axes;
    for (int64_t axis : arg) axes.push_back(wrapAxis(axis, rank));
    std::sort(axes.begin(), axes.end());
    for (int64_t axis : axes) {
      if (axis < 0 || axis > int64_t(s.size())) return std::nullopt;
      s.insert(s.begin() + axis, 1);
    }
    return a;
  }
  if (op == "Squeeze") {
    std::vector<int64_t> kept;
    for (size_t i = 0; i < s.size(); ++i) {
      bool listed = arg.empty() && s[i] == 1;
      for (int64_t axis : arg) listed = listed || wrapAxis(axis, s.size()) == int64_t(i);
      if (!listed) kept.push_back(s[i]);
    }
    s = kept;
    return a;
  }
  std::vector<int64_t> shape = arg;  // Reshape
  int64_t known = 1, inferAt = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0 && i >= s.size()) return std::nullopt;
    if (shape[i] == 0) shape[i] = s[i];
    if (shape[i] == -1)
      inferAt = int64_t(i);
    else if (shape[i] < 0 || __builtin_mul_overflow(known, shape[i], &known))
      return std::nullopt;
  }
  if (inferAt >= 0 && known != 0) shape[inferAt] = int64_t(a.size()) / known;
  if (count(shape) != int64_t(a.size())) return std::nullopt;
  s = shape;
  return a;
}

}  // namespace

std::optional<std::vector<Tensor>> foldNode(const onnx::NodeProto& node, const OnnxGraph& graph) {
  const std::string& op = node.op_type();
  if (!domainOf(node).empty()) return std::nullopt;
  std::optional<Array> result;
  if (node.output_size() != 1) return std::nullopt;
  if (op == "Shape" && node.input_size() == 1) {
    result = shapeOf(node, graph);
  } else {
    std::vector<Array> in;
    for (const std::string& name : node.input()) {
      const ValueInfo* v = graph.find(name);
      if (name.empty()) continue;
      if (!v || !v->constant || v->constant->numel() > kMaxFoldedElements) return std::nullopt;
      in.push_back(arrayOf(*v->constant));
    }
    auto arg = [&](size_t i) {
      return i < in.size() ? cast(in[i], DType::Int64).ints : std::vector<int64_t>{};
    };
    if (in.empty()) return std::nullopt;
    if (op == "Gather" && in.size() == 2)
      result = gather(in[0], in.at(1), intAttribute(node, "axis", 0));
    else if (op == "Concat")
      result = concat(in, intAttribute(node, "axis", 0));
    else if (op == "Cast" && dtypeOfOnnx(int32_t(intAttribute(node, "to", 0))))
      result = cast(in[0], *dtypeOfOnnx(int32_t(intAttribute(node, "to", 0))));
    else if (op == "Unsqueeze" || op == "Squeeze" || op == "Reshape")
      result = reshaped(in[0], op, arg(1));
    else if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") {
      if (in.size() == 2 && in[0].isInt() == in[1].isInt()) result = broadcast(in[0], in[1], op);
    } else if (op == "Expand" && in.size() == 2) {
      result = expand(in[0], arg(1));
    } else if (op == "ConstantOfShape") {
      Array value;
      value.dtype = DType::Float32;
      value.floats = {0.0};
      if (const auto* a = findAttribute(node, "value")) {
        std::string error;
        auto t = tensorOfProto(a->t(), nullptr, "", error);
        if (!t) return std::nullopt;
        value = arrayOf(*t);
        value.shape.clear();
      }
      result = expand(value, arg(0));
    } else if (op == "Transpose") {
      result = transpose(in[0], intsAttribute(node, "perm"));
    } else if (op == "Slice" && in.size() >= 3) {
      result = slice(in[0], arg(1), arg(2), arg(3), arg(4));
    }
  }
  if (!result) return std::nullopt;
  auto tensor = tensorOf(*result);
  if (!tensor) return std::nullopt;
  return std::vector<Tensor>{*tensor};
}

}  // namespace sketch::onnx_import
