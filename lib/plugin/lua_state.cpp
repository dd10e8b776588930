#include "plugin/lua_state.h"

#include <lua.hpp>

#include <cstdio>
#include <cstdlib>

namespace sketch {

namespace {

// ffi without the parts that reach the C library or other shared objects.
const char* const kFfiFields[] = {"cdef", "new",  "cast",   "typeof", "sizeof", "alignof",
                                  "offsetof", "istype", "string", "copy", "fill", "metatype",
                                  "gc", "abi", "arch", "os"};

// The first stack frame that runs Lua code: for an error raised by a C function (error(),
// an API check) that is its caller, the line the user wrote.
void locate(lua_State* L, LuaError& error) {
  lua_Debug ar;
  for (int level = 0; lua_getstack(L, level, &ar); ++level) {
    if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0 || ar.source[0] != '@') continue;
    error.file = ar.source + 1;
    error.line = ar.currentline;
    return;
  }
}

// Drops the "chunk:line: " prefix Lua puts in front of messages: the place is kept apart.
std::string stripPosition(const std::string& message) {
  size_t colon = message.find(": ");
  if (colon == std::string::npos) return message;
  size_t digits = message.rfind(':', colon - 1);
  if (digits == std::string::npos || digits + 1 >= colon) return message;
  for (size_t i = digits + 1; i < colon; ++i)
    if (message[i] < '0' || message[i] > '9') return message;
  return message.substr(colon + 2);
}

int messageHandler(lua_State* L) {
  auto* error = static_cast<LuaError*>(lua_touserdata(L, lua_upvalueindex(1)));
  const char* message = lua_tostring(L, 1);
  error->message = message ? stripPosition(message)
                           : std::string("error object is a ") + luaL_typename(L, 1) + " value";
  locate(L, *error);
  luaL_traceback(L, L, nullptr, 1);
  error->traceback = lua_tostring(L, -1);
  return 1;
}

int printToStderr(lua_State* L) {
  int n = lua_gettop(L);
  lua_getglobal(L, "tostring");
  for (int i = 1; i <= n; ++i) {
    lua_pushvalue(L, -1);
    lua_pushvalue(L, i);
    lua_call(L, 1, 1);
    std::fprintf(stderr, "%s%s", i > 1 ? "\t" : "", lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  std::fputc('\n', stderr);
  return 0;
}

void openLibrary(lua_State* L, lua_CFunction open, const char* name) {
  lua_pushcfunction(L, open);
  lua_pushstring(L, name);
  lua_call(L, 1, 1);
}

}  // namespace

std::string LuaError::where() const {
  if (file.empty()) return "<lua>";
  return line > 0 ? file + ":" + std::to_string(line) : file;
}

LuaState::LuaState() : L_(luaL_newstate()) { openSandbox(); }

LuaState::~LuaState() { lua_close(L_); }

void LuaState::openSandbox() {
  openLibrary(L_, luaopen_base, "");
  lua_pop(L_, 1);
  const std::pair<lua_CFunction, const char*> libraries[] = {
      {luaopen_table, LUA_TABLIBNAME}, {luaopen_string, LUA_STRLIBNAME},
      {luaopen_math, LUA_MATHLIBNAME}, {luaopen_bit, LUA_BITLIBNAME}};
  for (const auto& [open, name] : libraries) {
    openLibrary(L_, open, name);
    lua_setglobal(L_, name);
  }
  // Opening jit turns the compiler on; the table itself stays hidden.
  openLibrary(L_, luaopen_jit, LUA_JITLIBNAME);
  lua_pop(L_, 1);
  openLibrary(L_, luaopen_ffi, LUA_FFILIBNAME);
  lua_newtable(L_);
  for (const char* field : kFfiFields) {
    lua_getfield(L_, -2, field);
    lua_setfield(L_, -2, field);
  }
  lua_setglobal(L_, "ffi");
  lua_pop(L_, 1);
  for (const char* name : {"dofile", "loadfile", "require", "module", "jit", "package",
                           "io", "os", "debug", "newproxy"}) {
    lua_pushnil(L_);
    lua_setglobal(L_, name);
  }
  lua_pushcfunction(L_, printToStderr);
  lua_setglobal(L_, "print");
}

bool LuaState::runFile(const std::string& path, const std::string& source, LuaError& error) {
  std::string chunkName = "@" + path;
  if (luaL_loadbuffer(L_, source.data(), source.size(), chunkName.c_str()) != 0) {
    // Syntax errors carry "chunk:line:" only in the text; the chunk name may be shortened.
    std::string message = lua_tostring(L_, -1);
    lua_pop(L_, 1);
    error.file = path;
    size_t colon = message.find(": ");
    size_t digits = colon == std::string::npos ? colon : message.rfind(':', colon - 1);
    if (digits != std::string::npos) error.line = std::atoi(message.c_str() + digits + 1);
    error.message = stripPosition(message);
    return false;
  }
  // The file's own environment: its globals stay its own, reads fall back to the sandbox.
  lua_newtable(L_);
  lua_newtable(L_);
  lua_pushvalue(L_, LUA_GLOBALSINDEX);
  lua_setfield(L_, -2, "__index");
  lua_setmetatable(L_, -2);
  lua_setfenv(L_, -2);
  return call(0, 0, error);
}

bool LuaState::call(int nargs, int nresults, LuaError& error) {
  int function = lua_gettop(L_) - nargs;
  lua_pushlightuserdata(L_, &error);
  lua_pushcclosure(L_, messageHandler, 1);
  lua_insert(L_, function);
  int status = lua_pcall(L_, nargs, nresults, function);
  if (status != 0) {
    if (status == LUA_ERRMEM) error.message = "not enough memory";
    lua_pop(L_, 1);
  }
  lua_remove(L_, function);
  return status == 0;
}

LuaError functionLocation(lua_State* L, int index) {
  LuaError where;
  lua_Debug ar;
  lua_pushvalue(L, index);
  if (lua_getinfo(L, ">S", &ar) && ar.source[0] == '@') {
    where.file = ar.source + 1;
    where.line = ar.linedefined;
  }
  return where;
}

Diagnostic& reportLuaError(DiagnosticEngine& diags, diag::Kind kind, const LuaError& error,
                           const std::string& context) {
  Diagnostic& d = diags.reportFile(kind, error.where(), context + ": " + error.message);
  if (!error.traceback.empty()) d.notes.push_back({Span{}, error.traceback});
  return d;
}

}  // namespace sketch
