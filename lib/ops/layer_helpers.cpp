#include "ops/layer_helpers.h"

#include <cmath>

#include "ops/dims.h"

namespace sketch {

AttrDef intNAttr(std::string name, int rank, Value defaultValue, std::string doc) {
  AttrDef def;
  def.name = std::move(name);
  def.type = AttrType::IntN;
  def.rank = rank;
  def.optional = defaultValue.isNone();
  def.defaultValue = std::move(defaultValue);
  def.doc = std::move(doc);
  return def;
}

AttrDef kernelSizeAttr(int rank) {
  AttrDef def = intNAttr("kernel_size", rank, Value(), "size of the window");
  def.optional = false;
  def.required = true;
  return def;
}

AttrDef choiceAttr(std::string name, std::string defaultValue, std::vector<std::string> choices,
                   std::string doc) {
  AttrDef def;
  def.name = std::move(name);
  def.type = AttrType::String;
  def.defaultValue = Value::ofString(std::move(defaultValue));
  def.choices = std::move(choices);
  def.doc = std::move(doc);
  return def;
}

AttrDef nullableAttr(std::string name, AttrType type, Value defaultValue, std::string doc) {
  AttrDef def;
  def.name = std::move(name);
  def.type = type;
  def.defaultValue = std::move(defaultValue);
  def.optional = true;
  def.doc = std::move(doc);
  return def;
}

AttrDef inplaceAttr() {
  AttrDef def;
  def.name = "inplace";
  def.type = AttrType::Bool;
  def.defaultValue = Value::ofBool(false);
  def.doc = "overwrite the input (no effect on shapes)";
  return def;
}

std::vector<int64_t> intsOf(const Attrs& attrs, const std::string& name, size_t rank) {
  const Value& v = attrs.at(name);
  if (v.isInt()) return std::vector<int64_t>(rank, v.asInt());
  return v.asInts();
}

int64_t noMacs(const Attrs&, const std::vector<TensorType>&, const std::vector<TensorType>&) {
  return 0;
}

int64_t elementCount(const TensorType& type) {
  int64_t n = 1;
  for (const Dim& d : type.dims) n *= sizeOrOne(d);
  return n;
}

int64_t product(const std::vector<int64_t>& values) {
  int64_t n = 1;
  for (int64_t v : values) n *= v;
  return n;
}

void sameShape(ShapeContext& ctx) { ctx.setOutput(0, ctx.input(0)); }

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

std::optional<size_t> wrapDimAttr(ShapeContext& ctx, const std::string& attr, size_t rank) {
  int64_t dim = ctx.getInt(attr);
  std::optional<size_t> wrapped = normalizeDim(dim, rank);
  if (wrapped) return wrapped;
  int64_t r = static_cast<int64_t>(rank);
  ctx.attrError(attr,
                ctx.label() + " has " + attr + " " + std::to_string(dim) + ", out of range for a " +
                    std::to_string(rank) + "-D input: " + ctx.describeInput(0),
                "use a dim in [" + std::to_string(-r) + ", " + std::to_string(r - 1) + "]");
  return std::nullopt;
}

std::string describeValue(const Value& value) {
  if (value.isNone()) return "none";
  return std::string(Value::kindName(value.kind())) + " " + value.toString();
}

std::string intsString(const std::vector<int64_t>& values) {
  if (values.size() == 1) return std::to_string(values[0]);
  std::string s = "(";
  for (size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + std::to_string(values[i]);
  return s + ")";
}

Dim windowOutput(const Dim& in, const Window& w) {
  return (in + (2 * w.padding - w.span())).floorDiv(w.stride) + 1;
}

bool expectWindowsFit(ShapeContext& ctx, size_t first, const std::vector<Window>& windows) {
  for (size_t i = 0; i < windows.size(); ++i) {
    const Dim& in = ctx.input(0).dims[first + i];
    if (!in.isKnown()) continue;
    int64_t padded = in.value() + 2 * windows[i].padding;
    if (padded >= windows[i].span()) continue;
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

void appendAffine(std::vector<ParamSpec>& out, std::vector<int64_t> shape) {
  out.push_back(parameter("weight", shape, Init::fill(1)));
  out.push_back(parameter("bias", std::move(shape), Init::fill(0)));
}

void appendRunningStats(std::vector<ParamSpec>& out, int64_t features) {
  out.push_back(buffer("running_mean", {features}, Init::fill(0)));
  out.push_back(buffer("running_var", {features}, Init::fill(1)));
  out.push_back(buffer("num_batches_tracked", {}, Init::fill(0), DType::Int64));
}

}  // namespace sketch
