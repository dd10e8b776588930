#include "core/shape.h"

#include <cassert>
#include <cctype>
#include <utility>

namespace sketch {

namespace {

bool addOverflows(int64_t a, int64_t b, int64_t* out) { return __builtin_add_overflow(a, b, out); }
bool mulOverflows(int64_t a, int64_t b, int64_t* out) { return __builtin_mul_overflow(a, b, out); }

int64_t floorDivide(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

}  // namespace

Dim Dim::known(int64_t value) {
  Dim d;
  d.offset_ = value;
  return d;
}

Dim Dim::symbol(std::string name) {
  Dim d;
  d.symbol_ = std::move(name);
  d.scale_ = 1;
  return d;
}

Dim Dim::invalid() {
  Dim d;
  d.valid_ = false;
  return d;
}

// An opaque symbol stands for a whole expression; its name is that expression, printed
// with Python's precedence (`//` binds like `*`, both tighter than `+`).
static Dim opaque(const std::string& expression) { return Dim::symbol(expression); }

namespace {

/// The loosest operator outside parentheses: Python's `+`/`-` bind looser than `*` and `//`.
enum class Loosest { None, Product, FloorDivision, Sum };

Loosest loosestOperator(const std::string& s) {
  Loosest loosest = Loosest::None;
  int depth = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth != 0) continue;
    if (c == '+' || (c == '-' && i > 0)) return Loosest::Sum;  // a leading '-' is unary
    if (c == '/') loosest = Loosest::FloorDivision;
    if (c == '*' && loosest == Loosest::None) loosest = Loosest::Product;
  }
  return loosest;
}

std::string parenthesised(const std::string& s) { return "(" + s + ")"; }

/// `s` as the left operand of `*` or `//`, which group left to right: only a sum needs
/// parentheses (`a//2*b` is `(a//2)*b`).
std::string leftOperand(const std::string& s) {
  return loosestOperator(s) == Loosest::Sum ? parenthesised(s) : s;
}

/// `s` as the right operand of `*` (or of unary `-`): a product may stay bare, since
/// multiplication is associative, but not a floor division (`2*(a//2)` is not `2*a//2`).
std::string rightOperand(const std::string& s) {
  Loosest loosest = loosestOperator(s);
  return loosest == Loosest::None || loosest == Loosest::Product ? s : parenthesised(s);
}

}  // namespace

Dim Dim::operator+(int64_t k) const {
  if (!valid_) return *this;
  Dim d = *this;
  if (addOverflows(offset_, k, &d.offset_)) return invalid();
  return d;
}

Dim Dim::operator*(int64_t k) const {
  if (!valid_) return *this;
  if (k == 0) return known(0);
  Dim d = *this;
  if (mulOverflows(offset_, k, &d.offset_) || mulOverflows(scale_, k, &d.scale_)) return invalid();
  return d;
}

Dim Dim::operator+(const Dim& other) const {
  if (!valid_ || !other.valid_) return invalid();
  if (other.isKnown()) return *this + other.offset_;
  if (isKnown()) return other + offset_;
  if (symbol_ == other.symbol_) {
    Dim d = *this;
    if (addOverflows(scale_, other.scale_, &d.scale_) ||
        addOverflows(offset_, other.offset_, &d.offset_))
      return invalid();
    return d.scale_ == 0 ? known(d.offset_) : d;
  }
  return opaque(toString() + "+" + other.toString());
}

Dim Dim::operator*(const Dim& other) const {
  if (!valid_ || !other.valid_) return invalid();
  if (other.isKnown()) return *this * other.offset_;
  if (isKnown()) return other * offset_;
  return opaque(leftOperand(toString()) + "*" + rightOperand(other.toString()));
}

Dim Dim::floorDiv(int64_t k) const {
  assert(k > 0);
  if (!valid_) return *this;
  if (isKnown()) return known(floorDivide(offset_, k));
  if (k == 1) return *this;
  if (scale_ % k == 0) {
    // floor((a*S + b) / k) = (a/k)*S + floor(b/k) when k divides a.
    Dim d = *this;
    d.scale_ = scale_ / k;
    d.offset_ = floorDivide(offset_, k);
    return d;
  }
  return opaque(asOperand() + "//" + std::to_string(k));
}

Dim Dim::ceilDiv(int64_t k) const {
  assert(k > 0);
  // ceil(x / k) == floor((x + k - 1) / k) for integers.
  return (*this + (k - 1)).floorDiv(k);
}

std::string Dim::asOperand() const { return leftOperand(toString()); }

bool Dim::operator==(const Dim& other) const {
  if (!valid_ || !other.valid_) return false;
  return symbol_ == other.symbol_ && scale_ == other.scale_ && offset_ == other.offset_;
}

std::string Dim::toString() const {
  if (!valid_) return "?";
  if (symbol_.empty()) return std::to_string(offset_);
  std::string s;
  if (scale_ == -1)
    s = "-" + rightOperand(symbol_);
  else if (scale_ != 1)
    s = std::to_string(scale_) + "*" + rightOperand(symbol_);
  else
    s = symbol_;
  if (offset_ > 0) s += "+" + std::to_string(offset_);
  if (offset_ < 0) s += std::to_string(offset_);
  return s;
}

namespace {

struct DTypeInfo {
  DType dtype;
  const char* name;
  size_t size;
  bool floating;
};

constexpr DTypeInfo kDTypes[] = {
    {DType::Float32, "float32", 4, true}, {DType::Float64, "float64", 8, true},
    {DType::Float16, "float16", 2, true}, {DType::BFloat16, "bfloat16", 2, true},
    {DType::Int64, "int64", 8, false},    {DType::Int32, "int32", 4, false},
    {DType::Int16, "int16", 2, false},    {DType::Int8, "int8", 1, false},
    {DType::UInt8, "uint8", 1, false},    {DType::Bool, "bool", 1, false},
};

const DTypeInfo& info(DType dtype) { return kDTypes[static_cast<int>(dtype)]; }

}  // namespace

const char* dtypeName(DType dtype) { return info(dtype).name; }
size_t dtypeSize(DType dtype) { return info(dtype).size; }
bool isFloatingPoint(DType dtype) { return info(dtype).floating; }

std::optional<DType> parseDType(const std::string& name) {
  for (const DTypeInfo& i : kDTypes)
    if (name == i.name) return i.dtype;
  // PyTorch's aliases (torch.float, torch.long, ...).
  static const std::pair<const char*, DType> kAliases[] = {
      {"float", DType::Float32}, {"double", DType::Float64}, {"half", DType::Float16},
      {"long", DType::Int64},    {"int", DType::Int32},      {"short", DType::Int16}};
  for (const auto& [alias, dtype] : kAliases)
    if (name == alias) return dtype;
  return std::nullopt;
}

std::vector<std::string> dtypeNames() {
  std::vector<std::string> names;
  for (const DTypeInfo& i : kDTypes) names.push_back(i.name);
  return names;
}

TensorType TensorType::errorType() {
  TensorType t;
  t.error = true;
  return t;
}

TensorType TensorType::of(DType dtype, std::vector<Dim> dims) {
  TensorType t;
  t.dtype = dtype;
  t.dims = std::move(dims);
  return t;
}

Dim TensorType::numel() const {
  Dim n = Dim::known(1);
  for (const Dim& d : dims) n = n * d;
  return n;
}

std::string TensorType::shapeString() const {
  if (error) return "<error>";
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i) s += ", ";
    s += dims[i].toString();
  }
  return s + "]";
}

std::string TensorType::toString() const {
  if (error) return "<error>";
  return std::string(dtypeName(dtype)) + shapeString();
}

bool TensorType::operator==(const TensorType& other) const {
  if (error || other.error) return false;
  return dtype == other.dtype && dims == other.dims;
}

int64_t sizeOrOne(const Dim& dim) { return dim.isKnown() ? dim.value() : 1; }

}  // namespace sketch
