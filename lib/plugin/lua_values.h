// Conversions between sketch values (Value, TensorType) and Lua values, shared by the model
// tables a kernel sees and the custom-op functions.
//
// `none` is the sentinel table sketch.none, so that an attribute set to none stays
// distinguishable from an absent one. Dims are Lua numbers when known and strings ("N",
// "2*N") when symbolic.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/shape.h"
#include "core/value.h"

struct lua_State;

namespace sketch {

/// Registry key of the sketch.none sentinel (created by pushNone on first use).
void pushNone(lua_State* L);
void pushValue(lua_State* L, const Value& value);
/// The Lua value at `index` as a Value; nothing (and `error` set) for functions, userdata
/// or tables that are not arrays.
std::optional<Value> toValue(lua_State* L, int index, std::string& error);

/// {dtype = "float32", shape = {"N", 3, 32, 32}, type = "float32[N, 3, 32, 32]"}.
void pushTensorType(lua_State* L, const TensorType& type);
/// A tensor type from {dtype=, shape=} or a plain shape array; `dims` resolves symbolic
/// strings (the input dims by their spelling); unknown identifiers become new symbols.
std::optional<TensorType> toTensorType(lua_State* L, int index, DType defaultType,
                                       const std::map<std::string, Dim>& dims,
                                       std::string& error);
/// An array of numbers as int64s.
std::optional<std::vector<int64_t>> toInts(lua_State* L, int index, std::string& error);

}  // namespace sketch
