// Runs an --emit-lua script in LuaJIT with a stand-in for nn and torch (no Lua Torch exists
// here): nn.X(...) records its class, arguments and children; torch.load returns the
// module tree of the .t7 file as Lua tables. Returns the rebuilt tree's class names in
// pre-order, and the names of the tensors copied into it, or an error.
#pragma once

#include <string>
#include <vector>

extern "C" {
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
}

#include "t7_object.h"

namespace sketch::t7::testing {

struct LuaRun {
  std::string error;
  std::vector<std::string> classes;  // pre-order
  size_t copiedTensors = 0;
};

inline const char* kStandIn = R"(
nn = setmetatable({}, {__index = function(_, name)
  return function(...)
    local m = {class = 'nn.' .. name, args = {...}, modules = {}}
    function m:add(child) table.insert(self.modules, child) return self end
    function m:float() return self end
    function m:double() return self end
    function m:evaluate() end
    return m
  end
end})
require = function() end
torch = {isTensor = function(v) return type(v) == 'table' and v.isTensor == true end,
         load = function() return SAVED end}
)";

inline void pushObject(lua_State* L, const Object& o) {
  if (o.kind == Object::Kind::Number) return lua_pushnumber(L, o.number);
  if (o.kind == Object::Kind::Boolean) return lua_pushboolean(L, o.boolean);
  if (o.kind == Object::Kind::String) return (void)lua_pushstring(L, o.string.c_str());
  lua_newtable(L);
  if (o.kind == Object::Kind::Tensor) {
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "isTensor");
    luaL_dostring(L, "return function(self) return self.n end");
    lua_setfield(L, -2, "nElement");
    luaL_dostring(L,
                  "return function(self) return {isTensor = true, n = self.n, copied = true} end");
    lua_setfield(L, -2, "clone");
    lua_pushnumber(L, double(o.tensorNumel()));
    lua_setfield(L, -2, "n");
    return;
  }
  const Object* table = o.kind == Object::Kind::Instance ? o.fields : &o;
  if (!table || table->kind != Object::Kind::Table) return;
  for (const TableEntry& e : table->entries) {
    if (e.key->kind != Object::Kind::String && e.key->kind != Object::Kind::Number) continue;
    pushObject(L, *e.key);
    pushObject(L, *e.value);
    lua_settable(L, -3);
  }
}

inline void collect(lua_State* L, LuaRun& run) {
  lua_getfield(L, -1, "class");
  run.classes.push_back(lua_tostring(L, -1));
  lua_pop(L, 1);
  for (const char* field : {"weight", "bias", "running_mean", "running_var"}) {
    lua_getfield(L, -1, field);
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "copied");
      run.copiedTensors += lua_toboolean(L, -1) ? 1 : 0;
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_getfield(L, -1, "modules");
  for (int i = 1; lua_istable(L, -1); ++i) {
    lua_rawgeti(L, -1, i);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      break;
    }
    collect(L, run);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

inline LuaRun runLuaScript(const std::string& script, const Object& saved) {
  LuaRun run;
  lua_State* L = luaL_newstate();
  luaL_openlibs(L);
  luaL_dostring(L, kStandIn);
  pushObject(L, saved);
  lua_setglobal(L, "SAVED");
  if (luaL_loadbuffer(L, script.data(), script.size(), "@model.lua") || lua_pcall(L, 0, 1, 0)) {
    run.error = lua_tostring(L, -1);
  } else {
    collect(L, run);
  }
  lua_close(L);
  return run;
}

}  // namespace sketch::t7::testing
