#include "ops/shape_rules.h"

#include "ops/dims.h"

namespace sketch {

std::string dimsString(const std::vector<Dim>& dims) {
  return TensorType::of(DType::Float32, dims).shapeString();
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

AttrDef stringAttr(std::string name, Value defaultValue, std::vector<std::string> choices,
                   std::string doc) {
  AttrDef def;
  def.name = std::move(name);
  def.type = AttrType::String;
  def.optional = defaultValue.isNone();
  def.defaultValue = std::move(defaultValue);
  def.choices = std::move(choices);
  def.doc = std::move(doc);
  return def;
}

ParamSpec learned(std::string name, std::vector<int64_t> shape, Init init) {
  return {std::move(name), std::move(shape), DType::Float32, false, init};
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

int64_t zeroMacs(const Attrs&, const std::vector<TensorType>&, const std::vector<TensorType>&) {
  return 0;
}

int64_t elementsPerSample(const std::vector<Dim>& dims) {
  int64_t n = 1;
  for (const Dim& d : dims) n *= sizeOrOne(d);
  return n;
}

}  // namespace sketch
