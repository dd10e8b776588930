#include "plugin/lua_ops.h"

#include <lua.hpp>

#include "ops/shape_context.h"
#include "plugin/lua_values.h"

namespace sketch {

namespace {

const std::pair<const char*, AttrType> kAttrTypes[] = {
    {"int", AttrType::Int},   {"float", AttrType::Float},   {"bool", AttrType::Bool},
    {"string", AttrType::String}, {"intN", AttrType::IntN}, {"ints", AttrType::Ints},
    {"floats", AttrType::Floats}, {"any", AttrType::Any}};

std::string fieldString(lua_State* L, int table, const char* key, const char* fallback) {
  lua_getfield(L, table, key);
  std::string value = lua_isstring(L, -1) ? lua_tostring(L, -1) : fallback;
  lua_pop(L, 1);
  return value;
}

bool fieldBool(lua_State* L, int table, const char* key) {
  lua_getfield(L, table, key);
  bool value = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return value;
}

// A registry reference to the function in field `key`, or LUA_NOREF when absent.
int functionRef(lua_State* L, int table, const char* key, const std::string& op) {
  lua_getfield(L, table, key);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return LUA_NOREF;
  }
  if (!lua_isfunction(L, -1)) luaL_error(L, "op '%s': '%s' must be a function", op.c_str(), key);
  return luaL_ref(L, LUA_REGISTRYINDEX);
}

AttrDef readAttr(lua_State* L, int spec, const std::string& op) {
  AttrDef def;
  def.name = fieldString(L, spec, "name", "");
  if (def.name.empty()) luaL_error(L, "op '%s': every attribute needs a name", op.c_str());
  std::string type = fieldString(L, spec, "type", "int");
  bool known = false;
  for (const auto& [name, t] : kAttrTypes)
    if (type == name) def.type = t, known = true;
  if (!known) luaL_error(L, "op '%s': attribute '%s' has the unknown type '%s'", op.c_str(), def.name.c_str(), type.c_str());
  lua_getfield(L, spec, "default");
  std::string error;
  std::optional<Value> value = toValue(L, lua_gettop(L), error);
  bool hasDefault = !lua_isnil(L, -1);
  lua_pop(L, 1);
  if (!value) luaL_error(L, "op '%s': default of '%s': %s", op.c_str(), def.name.c_str(), error.c_str());
  def.defaultValue = *value;
  def.inferred = fieldBool(L, spec, "inferred");
  def.optional = fieldBool(L, spec, "optional");
  def.required = !hasDefault && !def.inferred && !def.optional;
  lua_getfield(L, spec, "rank");
  def.rank = static_cast<int>(lua_tonumber(L, -1));
  lua_pop(L, 1);
  def.doc = fieldString(L, spec, "doc", "");
  return def;
}

void readPorts(lua_State* L, int table, const char* key, OpDef& def, bool inputs) {
  lua_getfield(L, table, key);
  int n = lua_istable(L, -1) ? static_cast<int>(lua_objlen(L, -1)) : 0;
  for (int i = 1; i <= n; ++i) {
    lua_rawgeti(L, -1, i);
    std::string port = lua_isstring(L, -1) ? lua_tostring(L, -1) : "";
    lua_pop(L, 1);
    if (port.empty()) luaL_error(L, "op '%s': %s must be a list of port names", def.name().c_str(), key);
    if (inputs) def.input(port);
    else def.output(port);
  }
  lua_pop(L, 1);
  if (n == 0) luaL_error(L, "op '%s': '%s' needs at least one port name", def.name().c_str(), key);
}

void pushAttrs(lua_State* L, const Attrs& attrs) {
  lua_createtable(L, 0, static_cast<int>(attrs.size()));
  for (const auto& [name, value] : attrs) {
    pushValue(L, value);
    lua_setfield(L, -2, name.c_str());
  }
}

// For MAC counts symbolic dims count as 1, as for built-in ops.
void pushCountedType(lua_State* L, const TensorType& type) {
  std::vector<Dim> dims;
  for (const Dim& d : type.dims) dims.push_back(Dim::known(sizeOrOne(d)));
  pushTensorType(L, TensorType::of(type.dtype, dims));
}

struct LuaOpFunctions {
  std::shared_ptr<LuaState> state;
  std::string op;
  LuaError location;  // where the op was declared
  int shapeRef = LUA_NOREF, paramsRef = LUA_NOREF, macsRef = LUA_NOREF;
  LuaProblemSink sink;
  std::vector<std::string> inferred;

  void runShape(ShapeContext& ctx) const;
  std::vector<ParamSpec> runParams(const Attrs& attrs) const;
  int64_t runMacs(const Attrs& attrs, const std::vector<TensorType>& inputs,
                  const std::vector<TensorType>& outputs) const;
};

bool readOutputs(lua_State* L, int result, ShapeContext& ctx, std::string& error) {
  std::map<std::string, Dim> dims;
  DType dtype = DType::Float32;
  for (size_t i = 0; i < ctx.inputCount(); ++i) {
    if (!ctx.hasInput(i)) continue;
    if (i == 0) dtype = ctx.input(i).dtype;
    for (const Dim& d : ctx.input(i).dims) dims.emplace(d.toString(), d);
  }
  lua_getfield(L, result, "shape");
  lua_rawgeti(L, result, 1);
  bool single = !lua_isnil(L, -2) || !lua_istable(L, -1);
  lua_pop(L, 2);
  size_t count = single ? 1 : lua_objlen(L, result);
  if (count != ctx.outputs().size()) {
    error = "the shape function of " + ctx.op().name() + " returned " + std::to_string(count) +
            " outputs, expected " + std::to_string(ctx.outputs().size());
    return false;
  }
  for (size_t i = 0; i < count; ++i) {
    if (!single) lua_rawgeti(L, result, static_cast<int>(i + 1));
    std::optional<TensorType> type =
        toTensorType(L, single ? result : lua_gettop(L), dtype, dims, error);
    if (!single) lua_pop(L, 1);
    if (!type) return false;
    ctx.setOutput(i, *type);
  }
  return true;
}

void LuaOpFunctions::runShape(ShapeContext& ctx) const {
  lua_State* L = state->get();
  int top = lua_gettop(L);
  pushAttrs(L, ctx.attrs());  // kept at top + 1: inferred attributes are read back from it
  lua_rawgeti(L, LUA_REGISTRYINDEX, shapeRef);
  lua_pushvalue(L, top + 1);
  lua_createtable(L, static_cast<int>(ctx.inputCount()), 0);
  for (size_t i = 0; i < ctx.inputCount(); ++i) {
    if (ctx.hasInput(i)) pushTensorType(L, ctx.input(i));
    else lua_pushboolean(L, false);
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
  LuaError error;
  if (!state->call(2, 2, error)) {
    ctx.error("the shape function of " + op + " failed at " + error.where() + ": " + error.message);
    lua_settop(L, top);
    return;
  }
  int result = top + 2;
  std::string message;
  if (!lua_istable(L, result)) {
    message = lua_isstring(L, result + 1) ? lua_tostring(L, result + 1)
                                          : "the shape function of " + op + " returned no shapes";
    ctx.error(message);
  } else if (!readOutputs(L, result, ctx, message)) {
    ctx.error(message + " (" + location.where() + ")");
  }
  for (const std::string& name : inferred) {
    lua_getfield(L, top + 1, name.c_str());
    std::string ignored;
    std::optional<Value> value = toValue(L, lua_gettop(L), ignored);
    if (value && !value->isNone()) ctx.setAttr(name, *value);
    lua_pop(L, 1);
  }
  lua_settop(L, top);
}

bool readInit(lua_State* L, int spec, ParamSpec& param, std::string& error) {
  lua_getfield(L, spec, "init");
  int init = lua_gettop(L);
  bool ok = true;
  if (lua_isnumber(L, init)) {
    param.init = Init::fill(lua_tonumber(L, init));
  } else if (lua_istable(L, init)) {
    lua_rawgeti(L, init, 1);
    lua_rawgeti(L, init, 2);
    std::string kind = lua_isstring(L, -2) ? lua_tostring(L, -2) : "";
    double value = lua_tonumber(L, -1);
    if (kind == "fill") param.init = Init::fill(value);
    else if (kind == "uniform") param.init = Init::uniform(value);
    else if (kind == "normal") param.init = Init::normal(value);
    else ok = false, error = "init must be a number or {\"fill\"|\"uniform\"|\"normal\", value}";
  } else if (!lua_isnil(L, init)) {
    ok = false, error = "init must be a number or {\"fill\"|\"uniform\"|\"normal\", value}";
  }
  lua_settop(L, init - 1);
  return ok;
}

bool readParam(lua_State* L, int spec, ParamSpec& param, std::string& error) {
  if (!lua_istable(L, spec)) {
    error = "each parameter must be a table";
    return false;
  }
  param.name = fieldString(L, spec, "name", "");
  param.buffer = fieldBool(L, spec, "buffer");
  std::optional<DType> dtype = parseDType(fieldString(L, spec, "dtype", "float32"));
  if (!dtype) {
    error = "parameter '" + param.name + "' has an unknown dtype";
    return false;
  }
  param.dtype = *dtype;
  lua_getfield(L, spec, "shape");
  std::optional<std::vector<int64_t>> shape = toInts(L, lua_gettop(L), error);
  lua_pop(L, 1);
  if (!shape) return false;
  param.shape = *shape;
  return readInit(L, spec, param, error);
}

std::vector<ParamSpec> LuaOpFunctions::runParams(const Attrs& attrs) const {
  lua_State* L = state->get();
  int top = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, paramsRef);
  pushAttrs(L, attrs);
  LuaError error;
  std::vector<ParamSpec> params;
  if (!state->call(1, 1, error)) {
    sink(error, "the params function of " + op + " failed");
    return params;
  }
  int n = lua_istable(L, -1) ? static_cast<int>(lua_objlen(L, -1)) : 0;
  for (int i = 1; i <= n && error.message.empty(); ++i) {
    lua_rawgeti(L, top + 1, i);
    ParamSpec param;
    if (readParam(L, lua_gettop(L), param, error.message)) params.push_back(param);
    lua_pop(L, 1);
  }
  if (!lua_istable(L, top + 1)) error.message = "it must return a list of parameters";
  if (!error.message.empty()) {
    error.file = location.file, error.line = location.line;
    sink(error, "the params function of " + op + " returned a bad value");
    params.clear();
  }
  lua_settop(L, top);
  return params;
}

int64_t LuaOpFunctions::runMacs(const Attrs& attrs, const std::vector<TensorType>& inputs,
                                const std::vector<TensorType>& outputs) const {
  lua_State* L = state->get();
  int top = lua_gettop(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, macsRef);
  pushAttrs(L, attrs);
  for (const auto* types : {&inputs, &outputs}) {
    lua_createtable(L, static_cast<int>(types->size()), 0);
    for (size_t i = 0; i < types->size(); ++i) {
      pushCountedType(L, (*types)[i]);
      lua_rawseti(L, -2, static_cast<int>(i + 1));
    }
  }
  LuaError error;
  if (!state->call(3, 1, error)) {
    sink(error, "the macs function of " + op + " failed");
    return 0;
  }
  int64_t macs = lua_isnumber(L, -1) ? static_cast<int64_t>(lua_tonumber(L, -1)) : 0;
  if (!lua_isnumber(L, -1)) {
    error = location;
    error.message = std::string("it returned a ") + luaL_typename(L, -1) + ", expected a number";
    sink(error, "the macs function of " + op + " returned a bad value");
  }
  lua_settop(L, top);
  return macs;
}

}  // namespace

OpDef declareLuaOp(lua_State* L, int index, std::shared_ptr<LuaState> state, LuaProblemSink sink) {
  luaL_checktype(L, index, LUA_TTABLE);
  std::string name = fieldString(L, index, "name", "");
  if (name.empty()) luaL_error(L, "sketch.op needs a name");
  OpDef def(name, fieldString(L, index, "doc", ""));
  def.category(fieldString(L, index, "category", "custom"));
  lua_getfield(L, index, "module");
  def.module(lua_isnil(L, -1) || lua_toboolean(L, -1));
  lua_pop(L, 1);
  auto fns = std::make_shared<LuaOpFunctions>();
  lua_getfield(L, index, "attrs");
  int attrs = lua_gettop(L);
  int n = lua_istable(L, attrs) ? static_cast<int>(lua_objlen(L, attrs)) : 0;
  for (int i = 1; i <= n; ++i) {
    lua_rawgeti(L, attrs, i);
    if (!lua_istable(L, -1)) luaL_error(L, "op '%s': attrs must be a list of tables", name.c_str());
    AttrDef attr = readAttr(L, lua_gettop(L), name);
    if (attr.inferred) fns->inferred.push_back(attr.name);
    def.attr(attr);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  readPorts(L, index, "inputs", def, true);
  readPorts(L, index, "outputs", def, false);
  fns->state = std::move(state);
  fns->op = name;
  lua_Debug ar;  // level 1: the Lua line that called sketch.op
  if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) && ar.source[0] == '@')
    fns->location.file = ar.source + 1, fns->location.line = ar.currentline;
  fns->sink = std::move(sink);
  fns->shapeRef = functionRef(L, index, "shape", name);
  if (fns->shapeRef == LUA_NOREF) luaL_error(L, "op '%s' needs a shape function", name.c_str());
  fns->paramsRef = functionRef(L, index, "params", name);
  fns->macsRef = functionRef(L, index, "macs", name);
  def.shape([fns](ShapeContext& ctx) { fns->runShape(ctx); });
  if (fns->paramsRef != LUA_NOREF)
    def.params([fns](const Attrs& attrs) { return fns->runParams(attrs); });
  def.macs([fns](const Attrs& attrs, const std::vector<TensorType>& in,
                 const std::vector<TensorType>& out) {
    return fns->macsRef == LUA_NOREF ? 0 : fns->runMacs(attrs, in, out);
  });
  return def;
}

}  // namespace sketch
