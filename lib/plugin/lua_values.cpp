#include "plugin/lua_values.h"

#include <lua.hpp>

#include <cctype>
#include <cmath>

namespace sketch {

namespace {

const char kNoneKey[] = "sketch.none";

bool isNone(lua_State* L, int index) {
  pushNone(L);
  bool same = lua_rawequal(L, index < 0 ? index - 1 : index, -1);
  lua_pop(L, 1);
  return same;
}

bool isIdentifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

std::optional<Dim> toDim(lua_State* L, int index, const std::map<std::string, Dim>& dims,
                         std::string& error) {
  if (lua_type(L, index) == LUA_TNUMBER) {
    double v = lua_tonumber(L, index);
    if (v >= 0 && v == std::floor(v)) return Dim::known(static_cast<int64_t>(v));
    error = "a dim must be a whole number >= 0, got " + std::to_string(v);
    return std::nullopt;
  }
  if (lua_type(L, index) == LUA_TSTRING) {
    std::string s = lua_tostring(L, index);
    auto it = dims.find(s);
    if (it != dims.end()) return it->second;
    if (isIdentifier(s)) return Dim::symbol(s);
    error = "the symbolic dim '" + s + "' is not one of the input dims";
    return std::nullopt;
  }
  error = std::string("a dim must be a number or a string, got ") + luaL_typename(L, index);
  return std::nullopt;
}

}  // namespace

void pushNone(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kNoneKey);
  if (!lua_isnil(L, -1)) return;
  lua_pop(L, 1);
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, kNoneKey);
}

void pushValue(lua_State* L, const Value& value) {
  switch (value.kind()) {
    case Value::Kind::None: pushNone(L); return;
    case Value::Kind::Bool: lua_pushboolean(L, value.asBool()); return;
    case Value::Kind::Int: lua_pushnumber(L, static_cast<lua_Number>(value.asInt())); return;
    case Value::Kind::Float: lua_pushnumber(L, value.asNumber()); return;
    case Value::Kind::String: lua_pushlstring(L, value.asString().data(), value.asString().size()); return;
    case Value::Kind::List:
      lua_createtable(L, static_cast<int>(value.asList().size()), 0);
      for (size_t i = 0; i < value.asList().size(); ++i) {
        pushValue(L, value.asList()[i]);
        lua_rawseti(L, -2, static_cast<int>(i + 1));
      }
      return;
  }
}

std::optional<Value> toValue(lua_State* L, int index, std::string& error) {
  if (index < 0) index = lua_gettop(L) + index + 1;
  switch (lua_type(L, index)) {
    case LUA_TNIL: return Value::none();
    case LUA_TBOOLEAN: return Value::ofBool(lua_toboolean(L, index));
    case LUA_TNUMBER: {
      double v = lua_tonumber(L, index);
      if (v == std::floor(v) && std::fabs(v) < 9.0e15) return Value::ofInt(static_cast<int64_t>(v));
      return Value::ofFloat(v);
    }
    case LUA_TSTRING: return Value::ofString(lua_tostring(L, index));
    case LUA_TTABLE: {
      if (isNone(L, index)) return Value::none();
      std::vector<Value> items;
      int n = static_cast<int>(lua_objlen(L, index));
      for (int i = 1; i <= n; ++i) {
        lua_rawgeti(L, index, i);
        std::optional<Value> item = toValue(L, lua_gettop(L), error);
        lua_pop(L, 1);
        if (!item) return std::nullopt;
        items.push_back(std::move(*item));
      }
      return Value::ofList(std::move(items));
    }
    default:
      error = std::string("a ") + luaL_typename(L, index) + " is not an attribute value";
      return std::nullopt;
  }
}

void pushTensorType(lua_State* L, const TensorType& type) {
  lua_createtable(L, 0, 3);
  lua_pushstring(L, dtypeName(type.dtype));
  lua_setfield(L, -2, "dtype");
  lua_createtable(L, static_cast<int>(type.dims.size()), 0);
  for (size_t i = 0; i < type.dims.size(); ++i) {
    const Dim& d = type.dims[i];
    if (d.isKnown()) lua_pushnumber(L, static_cast<lua_Number>(d.value()));
    else lua_pushstring(L, d.toString().c_str());
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
  lua_setfield(L, -2, "shape");
  lua_pushstring(L, type.toString().c_str());
  lua_setfield(L, -2, "type");
}

std::optional<TensorType> toTensorType(lua_State* L, int index, DType defaultType,
                                       const std::map<std::string, Dim>& dims,
                                       std::string& error) {
  if (index < 0) index = lua_gettop(L) + index + 1;
  if (!lua_istable(L, index)) {
    error = std::string("expected a shape table, got ") + luaL_typename(L, index);
    return std::nullopt;
  }
  TensorType type = TensorType::of(defaultType, {});
  int shape = index;
  lua_getfield(L, index, "shape");
  if (lua_istable(L, -1)) shape = lua_gettop(L);
  lua_getfield(L, index, "dtype");
  if (lua_isstring(L, -1)) {
    std::optional<DType> dtype = parseDType(lua_tostring(L, -1));
    if (!dtype) error = std::string("unknown dtype '") + lua_tostring(L, -1) + "'";
    else type.dtype = *dtype;
  }
  lua_pop(L, 1);
  int n = error.empty() ? static_cast<int>(lua_objlen(L, shape)) : 0;
  for (int i = 1; i <= n && error.empty(); ++i) {
    lua_rawgeti(L, shape, i);
    std::optional<Dim> dim = toDim(L, lua_gettop(L), dims, error);
    lua_pop(L, 1);
    if (dim) type.dims.push_back(*dim);
  }
  lua_pop(L, 1);
  if (!error.empty()) return std::nullopt;
  return type;
}

std::optional<std::vector<int64_t>> toInts(lua_State* L, int index, std::string& error) {
  if (index < 0) index = lua_gettop(L) + index + 1;
  if (!lua_istable(L, index)) {
    error = std::string("expected an array of numbers, got ") + luaL_typename(L, index);
    return std::nullopt;
  }
  std::vector<int64_t> out;
  int n = static_cast<int>(lua_objlen(L, index));
  for (int i = 1; i <= n; ++i) {
    lua_rawgeti(L, index, i);
    bool ok = lua_type(L, -1) == LUA_TNUMBER;
    double v = lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (!ok || v != std::floor(v)) {
      error = "expected whole numbers in the array";
      return std::nullopt;
    }
    out.push_back(static_cast<int64_t>(v));
  }
  return out;
}

}  // namespace sketch
