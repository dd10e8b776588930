// Dim, DType and TensorType: the types that flow along links.
//
// A Dim is either a known size or an affine expression `scale*symbol + offset` over one
// symbolic size (N, L, ...). Arithmetic that leaves the affine form (floor division that
// does not divide evenly, products of two symbols) yields an opaque symbol whose name is
// the expression, so equal expressions still compare equal. Overflow in arithmetic on
// known sizes is detected and turns the result into an error Dim.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sketch {

class Dim {
 public:
  Dim() = default;
  /// A known size (>= 0).
  static Dim known(int64_t value);
  /// A named symbolic size such as N.
  static Dim symbol(std::string name);
  /// The result of arithmetic that overflowed or made no sense; compares unequal to all.
  static Dim invalid();

  bool isKnown() const { return symbol_.empty() && valid_; }
  bool isSymbolic() const { return !symbol_.empty() && valid_; }
  bool isValid() const { return valid_; }
  /// The size; only for known dims.
  int64_t value() const { return offset_; }
  const std::string& symbolName() const { return symbol_; }
  int64_t scale() const { return scale_; }
  int64_t offset() const { return offset_; }

  Dim operator+(int64_t k) const;
  Dim operator-(int64_t k) const { return *this + (-k); }
  Dim operator*(int64_t k) const;
  Dim operator+(const Dim& other) const;
  Dim operator*(const Dim& other) const;
  /// Python's `//` (floor division) by a positive constant.
  Dim floorDiv(int64_t k) const;
  /// Ceiling division by a positive constant (pooling with ceil_mode).
  Dim ceilDiv(int64_t k) const;

  bool operator==(const Dim& other) const;
  bool operator!=(const Dim& other) const { return !(*this == other); }

  /// "32", "N", "2*N", "N+1", "(N+1)//2": Python's syntax and precedence.
  std::string toString() const;
  /// toString() as the left operand of `*` or `//`: parenthesised when it is a sum.
  std::string asOperand() const;

 private:
  std::string symbol_;   // empty for a known size
  int64_t scale_ = 0;    // coefficient of the symbol
  int64_t offset_ = 0;   // the value itself when known
  bool valid_ = true;
};

/// Element types, named as in the language (float32, int64, ...).
enum class DType { Float32, Float64, Float16, BFloat16, Int64, Int32, Int16, Int8, UInt8, Bool };

const char* dtypeName(DType dtype);
std::optional<DType> parseDType(const std::string& name);
/// Bytes per element.
size_t dtypeSize(DType dtype);
bool isFloatingPoint(DType dtype);
/// Every dtype name, in declaration order (for "did you mean" and docs).
std::vector<std::string> dtypeNames();

/// The type of a value on a link: element type plus dimensions. An error type marks a value
/// whose producer already reported a problem; consumers stay silent on it so that one
/// mistake gives one diagnostic.
struct TensorType {
  DType dtype = DType::Float32;
  std::vector<Dim> dims;
  bool error = false;

  static TensorType errorType();
  static TensorType of(DType dtype, std::vector<Dim> dims);

  size_t rank() const { return dims.size(); }
  /// Dim counted from the end for negative index, as PyTorch does.
  const Dim& dim(int64_t index) const { return dims[index < 0 ? dims.size() + index : index]; }
  /// Product of all dims (may be symbolic).
  Dim numel() const;
  /// "[N, 3, 32, 32]" (dtype omitted); errors print as "<error>".
  std::string shapeString() const;
  /// "float32[N, 3, 32, 32]".
  std::string toString() const;

  bool operator==(const TensorType& other) const;
  bool operator!=(const TensorType& other) const { return !(*this == other); }
};

/// Fills symbolic dims with 1 for counts such as MACs ("per sample").
int64_t sizeOrOne(const Dim& dim);

}  // namespace sketch
