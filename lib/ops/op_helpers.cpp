#include "ops/op_helpers.h"

#include <algorithm>
#include <cmath>

namespace sketch {

AttrDef optionalAttr(std::string name, AttrType type, Value defaultValue, std::string doc) {
  AttrDef def;
  def.name = std::move(name);
  def.type = type;
  def.optional = defaultValue.isNone();
  def.defaultValue = std::move(defaultValue);
  def.doc = std::move(doc);
  return def;
}

AttrDef intNAttr(std::string name, int rank, Value defaultValue, std::string doc) {
  AttrDef def =
      optionalAttr(std::move(name), AttrType::IntN, std::move(defaultValue), std::move(doc));
  def.rank = rank;
  return def;
}

AttrDef kernelSizeAttr(int rank) {
  AttrDef def = intNAttr("kernel_size", rank, Value(), "size of the window");
  def.optional = false;
  def.required = true;
  return def;
}

AttrDef choiceAttr(std::string name, Value defaultValue, std::vector<std::string> choices,
                   std::string doc) {
  AttrDef def =
      optionalAttr(std::move(name), AttrType::String, std::move(defaultValue), std::move(doc));
  def.choices = std::move(choices);
  return def;
}

AttrDef nullableAttr(std::string name, AttrType type, Value defaultValue, std::string doc) {
  AttrDef def = optionalAttr(std::move(name), type, std::move(defaultValue), std::move(doc));
  def.optional = true;
  return def;
}

AttrDef inplaceAttr() {
  return optionalAttr("inplace", AttrType::Bool, Value::ofBool(false),
                      "overwrite the input (no effect on shapes)");
}

int64_t intOr(const Attrs& attrs, const std::string& name, int64_t fallback) {
  auto it = attrs.find(name);
  return it == attrs.end() || it->second.isNone() ? fallback : it->second.asInt();
}

std::vector<int64_t> intsOf(const Attrs& attrs, const std::string& name, size_t rank) {
  const Value& v = attrs.at(name);
  if (v.isInt()) return std::vector<int64_t>(rank, v.asInt());
  return v.asInts();
}

std::optional<size_t> normalizeDim(int64_t dim, size_t rank) {
  int64_t r = static_cast<int64_t>(rank);
  if (dim < -r || dim >= r) return std::nullopt;
  return static_cast<size_t>(dim < 0 ? dim + r : dim);
}

std::optional<size_t> resolveDim(ShapeContext& ctx, const std::string& attr, int64_t dim,
                                 size_t input, size_t rank) {
  // PyTorch wraps dims of a 0-d tensor as if it had one dim.
  size_t wrapRank = rank == 0 ? 1 : rank;
  if (auto d = normalizeDim(dim, wrapRank)) return rank == 0 ? std::optional<size_t>(0) : d;
  int64_t r = static_cast<int64_t>(wrapRank);
  ctx.attrError(attr,
                ctx.label() + " has " + attr + " " + std::to_string(dim) + ", out of range for a " +
                    std::to_string(ctx.input(input).rank()) +
                    "-D input: " + ctx.describeInput(input),
                "use a dim in [" + std::to_string(-r) + ", " + std::to_string(r - 1) + "]");
  return std::nullopt;
}

std::optional<size_t> resolveDimAttr(ShapeContext& ctx, const std::string& attr, size_t rank) {
  return resolveDim(ctx, attr, ctx.getInt(attr), 0, rank);
}

std::optional<std::vector<Dim>> broadcastShapes(const std::vector<Dim>& a,
                                                const std::vector<Dim>& b) {
  size_t rank = std::max(a.size(), b.size());
  std::vector<Dim> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Align from the right; a missing dim acts as 1.
    Dim da = i < rank - a.size() ? Dim::known(1) : a[i - (rank - a.size())];
    Dim db = i < rank - b.size() ? Dim::known(1) : b[i - (rank - b.size())];
    if (da == db || (db.isKnown() && db.value() == 1))
      out[i] = da;
    else if (da.isKnown() && da.value() == 1)
      out[i] = db;
    else
      return std::nullopt;
  }
  return out;
}

static int promotionRank(DType t) {
  switch (t) {
    case DType::Bool: return 0;
    case DType::UInt8: return 1;
    case DType::Int8: return 2;
    case DType::Int16: return 3;
    case DType::Int32: return 4;
    case DType::Int64: return 5;
    case DType::Float16: return 6;
    case DType::BFloat16: return 7;
    case DType::Float32: return 8;
    case DType::Float64: return 9;
  }
  return 0;
}

DType promoteTypes(DType a, DType b) {
  if (a == b) return a;
  // The two pairs where neither type holds the other's values (torch.promote_types).
  auto isPair = [&](DType x, DType y) { return (a == x && b == y) || (a == y && b == x); };
  if (isPair(DType::UInt8, DType::Int8)) return DType::Int16;
  if (isPair(DType::Float16, DType::BFloat16)) return DType::Float32;
  return promotionRank(a) >= promotionRank(b) ? a : b;
}

DType floatResult(DType dtype) { return isFloatingPoint(dtype) ? dtype : DType::Float32; }

std::string dimsString(const std::vector<Dim>& dims) {
  return TensorType::of(DType::Float32, dims).shapeString();
}

std::string intsString(const std::vector<int64_t>& values) {
  if (values.size() == 1) return std::to_string(values[0]);
  std::string s = "(";
  for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + std::to_string(values[i]);
  return s + ")";
}

std::string describeValue(const Value& value) {
  if (value.isNone()) return "none";
  return std::string(Value::kindName(value.kind())) + " " + value.toString();
}

void sameShape(ShapeContext& ctx) { ctx.setOutput(0, ctx.input(0)); }

ShapeFn floatingInputs(ShapeFn shape) {
  return [shape = std::move(shape)](ShapeContext& ctx) {
    bool ok = true;
    for (size_t i = 0; i < ctx.inputCount(); ++i) {
      if (!ctx.hasInput(i) || ctx.input(i).error || isFloatingPoint(ctx.input(i).dtype)) continue;
      ctx.inputError(i, ctx.label() + " expects a floating-point input, but " +
                            ctx.describeInputType(i));
      ok = false;
    }
    if (ok) shape(ctx);
  };
}

bool expectSpatialInput(ShapeContext& ctx, size_t spatialRank) {
  return ctx.expectRank(0, {spatialRank + 1, spatialRank + 2});
}

size_t channelDim(const TensorType& input, size_t spatialRank) {
  return input.rank() - spatialRank - 1;
}

bool expectAtLeast(ShapeContext& ctx, const std::string& attr, const std::vector<int64_t>& values,
                   int64_t min, const std::string& what) {
  for (int64_t v : values) {
    if (v >= min) continue;
    ctx.attrError(attr, ctx.label() + " has " + what + " " + attr + " " + intsString(values),
                  min == 0 ? "use values >= 0" : "use values >= " + std::to_string(min));
    return false;
  }
  return true;
}

bool expectDivisible(ShapeContext& ctx, const std::string& attr, int64_t value,
                     const std::string& divisorName, int64_t divisor) {
  if (divisor > 0 && value % divisor == 0) return true;
  ctx.attrError(attr, ctx.label() + ": " + attr + " " + std::to_string(value) +
                          " is not divisible by " + divisorName + " " + std::to_string(divisor));
  return false;
}

std::vector<Window> makeWindows(const std::vector<int64_t>& kernel,
                                const std::vector<int64_t>& stride,
                                const std::vector<int64_t>& padding,
                                const std::vector<int64_t>& dilation) {
  std::vector<Window> windows(kernel.size());
  for (size_t i = 0; i < kernel.size(); ++i)
    windows[i] = {kernel[i], stride[i], padding[i], dilation[i]};
  return windows;
}

Dim windowOutput(const Dim& in, const Window& w) {
  return (in + (2 * w.padding - w.span())).floorDiv(w.stride) + 1;
}

bool expectWindowsRepresentable(ShapeContext& ctx, const std::vector<Window>& windows) {
  // A quarter of the range leaves room for an input size added to the extent later.
  constexpr int64_t kMaxExtent = INT64_MAX / 4;
  for (const Window& w : windows) {
    int64_t span = 0, extent = 0;
    bool fits = !__builtin_mul_overflow(w.dilation, w.kernel - 1, &span) &&
                !__builtin_mul_overflow(w.padding, 2, &extent) &&
                !__builtin_add_overflow(extent, span, &extent) &&
                !__builtin_add_overflow(extent, w.stride, &extent) && extent < kMaxExtent;
    if (fits) continue;
    ctx.attrError("kernel_size", ctx.label() + " has a window of kernel_size " +
                                     std::to_string(w.kernel) + ", dilation " +
                                     std::to_string(w.dilation) + ", padding " +
                                     std::to_string(w.padding) + " and stride " +
                                     std::to_string(w.stride) + " too large for 64-bit sizes");
    return false;
  }
  return true;
}

bool expectWindowsFit(ShapeContext& ctx, size_t first, const std::vector<Window>& windows) {
  if (!expectWindowsRepresentable(ctx, windows)) return false;
  for (size_t i = 0; i < windows.size(); ++i) {
    const Dim& in = ctx.input(0).dims[first + i];
    if (!in.isKnown()) continue;
    int64_t padded = 0;
    if (__builtin_add_overflow(in.value(), 2 * windows[i].padding, &padded) ||
        padded >= windows[i].span())
      continue;
    ctx.inputError(0,
                   ctx.label() + " has a kernel of size " + std::to_string(windows[i].span()) +
                       " in dim " + std::to_string(first + i) +
                       ", larger than the padded input size " + std::to_string(padded) + ": " +
                       ctx.describeInput(0),
                   "use a smaller kernel_size or dilation, or more padding");
    return false;
  }
  return true;
}

Init fanInUniform(int64_t fanIn) {
  // PyTorch leaves the bound at 0 for an empty fan_in instead of dividing by zero.
  return Init::uniform(fanIn > 0 ? 1.0 / std::sqrt(static_cast<double>(fanIn)) : 0.0);
}

ParamSpec parameter(std::string name, std::vector<int64_t> shape, Init init) {
  ParamSpec p;
  p.name = std::move(name);
  p.shape = std::move(shape);
  p.init = init;
  return p;
}

ParamSpec buffer(std::string name, std::vector<int64_t> shape, Init init, DType dtype) {
  ParamSpec p = parameter(std::move(name), std::move(shape), init);
  p.buffer = true;
  p.dtype = dtype;
  return p;
}

void appendWeightAndBias(std::vector<ParamSpec>& out, std::vector<int64_t> shape, int64_t fanIn,
                         std::optional<int64_t> biasSize, const std::string& prefix) {
  Init init = fanInUniform(fanIn);
  out.push_back(parameter(prefix + "weight", std::move(shape), init));
  if (biasSize) out.push_back(parameter(prefix + "bias", {*biasSize}, init));
}

void appendAffine(std::vector<ParamSpec>& out, std::vector<int64_t> shape,
                  const std::string& prefix) {
  out.push_back(parameter(prefix + "weight", shape, Init::fill(1)));
  out.push_back(parameter(prefix + "bias", std::move(shape), Init::fill(0)));
}

void appendRunningStats(std::vector<ParamSpec>& out, int64_t features) {
  out.push_back(buffer("running_mean", {features}, Init::fill(0)));
  out.push_back(buffer("running_var", {features}, Init::fill(1)));
  out.push_back(buffer("num_batches_tracked", {}, Init::fill(0), DType::Int64));
}

// --- Implied inputs ---------------------------------------------------------------------

namespace {

std::optional<Dim> intAttrDim(const Attrs& attrs, const std::string& name) {
  auto it = attrs.find(name);
  if (it == attrs.end() || !it->second.isInt()) return std::nullopt;
  return Dim::known(it->second.asInt());
}

}  // namespace

ImpliedInputFn impliesSpatialInput(std::string channels, size_t spatialRank) {
  return [channels, spatialRank](const Attrs& attrs) -> std::optional<TensorType> {
    std::optional<Dim> c = intAttrDim(attrs, channels);
    if (!c || spatialRank < 1 || spatialRank > 3) return std::nullopt;
    static const std::vector<const char*> kNames[] = {{"L"}, {"H", "W"}, {"D", "H", "W"}};
    std::vector<Dim> dims = {Dim::symbol("N"), *c};
    for (const char* name : kNames[spatialRank - 1]) dims.push_back(Dim::symbol(name));
    return TensorType::of(DType::Float32, std::move(dims));
  };
}

ImpliedInputFn impliesFeatureInput(std::string features) {
  return [features](const Attrs& attrs) -> std::optional<TensorType> {
    std::optional<Dim> f = intAttrDim(attrs, features);
    if (!f) return std::nullopt;
    return TensorType::of(DType::Float32, {Dim::symbol("N"), *f});
  };
}

ImpliedInputFn impliesSequenceInput(std::string features) {
  return [features](const Attrs& attrs) -> std::optional<TensorType> {
    std::optional<Dim> f = intAttrDim(attrs, features);
    if (!f) return std::nullopt;
    auto batchFirst = attrs.find("batch_first");
    bool batched = batchFirst != attrs.end() && batchFirst->second.isBool() &&
                   batchFirst->second.asBool();
    Dim n = Dim::symbol("N"), l = Dim::symbol("L");
    return TensorType::of(DType::Float32,
                          batched ? std::vector<Dim>{n, l, *f} : std::vector<Dim>{l, n, *f});
  };
}

int64_t noMacs(const Attrs&, const std::vector<TensorType>&, const std::vector<TensorType>&) {
  return 0;
}

namespace {

int64_t saturatingMul(int64_t a, int64_t b) {
  int64_t n;
  if (!__builtin_mul_overflow(a, b, &n)) return n;
  return (a < 0) != (b < 0) ? INT64_MIN : INT64_MAX;
}

}  // namespace

int64_t elementsPerSample(const std::vector<Dim>& dims) {
  int64_t n = 1;
  for (const Dim& d : dims) n = saturatingMul(n, sizeOrOne(d));
  return n;
}

int64_t product(const std::vector<int64_t>& values) {
  int64_t n = 1;
  for (int64_t v : values) n = saturatingMul(n, v);
  return n;
}

int64_t saturatingProduct(std::initializer_list<int64_t> values) {
  int64_t n = 1;
  for (int64_t v : values) n = saturatingMul(n, v);
  return n;
}

int64_t saturatingSum(std::initializer_list<int64_t> values) {
  int64_t n = 0;
  for (int64_t v : values)
    if (__builtin_add_overflow(n, v, &n)) return INT64_MAX;
  return n;
}

}  // namespace sketch
