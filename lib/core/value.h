// Value: an attribute value as the language writes it (PyTorch's argument vocabulary).
//
// Values are plain data: none, bool, int, float, string and lists (PyTorch tuples and lists
// are the same thing here). Nothing in this header knows about ops, files or diagnostics.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sketch {

class Value {
 public:
  enum class Kind { None, Bool, Int, Float, String, List };

  Value() = default;
  static Value none() { return Value(); }
  static Value ofBool(bool b);
  static Value ofInt(int64_t i);
  static Value ofFloat(double f);
  static Value ofString(std::string s);
  static Value ofList(std::vector<Value> items);
  static Value ofInts(const std::vector<int64_t>& items);

  Kind kind() const { return kind_; }
  bool isNone() const { return kind_ == Kind::None; }
  bool isBool() const { return kind_ == Kind::Bool; }
  bool isInt() const { return kind_ == Kind::Int; }
  bool isFloat() const { return kind_ == Kind::Float; }
  /// Int or Float: PyTorch accepts an int wherever it takes a float.
  bool isNumber() const { return kind_ == Kind::Int || kind_ == Kind::Float; }
  bool isString() const { return kind_ == Kind::String; }
  bool isList() const { return kind_ == Kind::List; }
  /// A list whose items are all ints (an empty list counts).
  bool isIntList() const;

  bool asBool() const { return bool_; }
  int64_t asInt() const { return int_; }
  /// The number as a double, for Int and Float alike.
  double asNumber() const { return kind_ == Kind::Int ? static_cast<double>(int_) : float_; }
  const std::string& asString() const { return string_; }
  const std::vector<Value>& asList() const { return list_; }
  std::vector<int64_t> asInts() const;

  /// Canonical sketch spelling: true, none, 3, 0.5, "str", (1, 2).
  std::string toString() const;
  /// Name of the kind for messages ("int", "float", "tuple", ...).
  static const char* kindName(Kind kind);

  bool operator==(const Value& other) const;
  bool operator!=(const Value& other) const { return !(*this == other); }

 private:
  Kind kind_ = Kind::None;
  bool bool_ = false;
  int64_t int_ = 0;
  double float_ = 0.0;
  std::string string_;
  std::vector<Value> list_;
};

}  // namespace sketch
