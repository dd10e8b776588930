#include "core/value.h"

#include <cmath>
#include <charconv>

namespace sketch {

Value Value::ofBool(bool b) {
  Value v;
  v.kind_ = Kind::Bool;
  v.bool_ = b;
  return v;
}

Value Value::ofInt(int64_t i) {
  Value v;
  v.kind_ = Kind::Int;
  v.int_ = i;
  return v;
}

Value Value::ofFloat(double f) {
  Value v;
  v.kind_ = Kind::Float;
  v.float_ = f;
  return v;
}

Value Value::ofString(std::string s) {
  Value v;
  v.kind_ = Kind::String;
  v.string_ = std::move(s);
  return v;
}

Value Value::ofList(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::List;
  v.list_ = std::move(items);
  return v;
}

Value Value::ofInts(const std::vector<int64_t>& items) {
  std::vector<Value> values;
  values.reserve(items.size());
  for (int64_t i : items) values.push_back(ofInt(i));
  return ofList(std::move(values));
}

bool Value::isIntList() const {
  if (kind_ != Kind::List) return false;
  for (const Value& v : list_)
    if (!v.isInt()) return false;
  return true;
}

std::vector<int64_t> Value::asInts() const {
  std::vector<int64_t> out;
  out.reserve(list_.size());
  for (const Value& v : list_) out.push_back(v.asInt());
  return out;
}

// Shortest decimal that reads back to the same double (std::to_chars), always with a '.'
// or an exponent so that it stays a float when parsed again: 20.0, 0.1, 1e-05.
static std::string formatFloat(double f) {
  if (std::isnan(f)) return "nan";
  if (std::isinf(f)) return f > 0 ? "inf" : "-inf";
  char buf[32];
  auto result = std::to_chars(buf, buf + sizeof buf, f);
  std::string s(buf, result.ptr);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

static std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string Value::toString() const {
  switch (kind_) {
    case Kind::None: return "none";
    case Kind::Bool: return bool_ ? "true" : "false";
    case Kind::Int: return std::to_string(int_);
    case Kind::Float: return formatFloat(float_);
    case Kind::String: return quote(string_);
    case Kind::List: {
      std::string s = "(";
      for (size_t i = 0; i < list_.size(); ++i) {
        if (i) s += ", ";
        s += list_[i].toString();
      }
      if (list_.size() == 1) s += ",";
      return s + ")";
    }
  }
  return "";
}

const char* Value::kindName(Kind kind) {
  switch (kind) {
    case Kind::None: return "none";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::Float: return "float";
    case Kind::String: return "string";
    case Kind::List: return "tuple";
  }
  return "?";
}

bool Value::operator==(const Value& other) const {
  if (kind_ != other.kind_) return false;
  switch (kind_) {
    case Kind::None: return true;
    case Kind::Bool: return bool_ == other.bool_;
    case Kind::Int: return int_ == other.int_;
    case Kind::Float: return float_ == other.float_;
    case Kind::String: return string_ == other.string_;
    case Kind::List: return list_ == other.list_;
  }
  return false;
}

}  // namespace sketch
