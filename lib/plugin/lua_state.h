// LuaState: one sandboxed LuaJIT state for the Lua plug-ins (kernels and custom ops), and
// the protected calls through which every piece of plug-in code runs.
//
// The sandbox opens base (without dofile and loadfile), string, table, math, bit and a
// reduced ffi (no ffi.C, no ffi.load); io, os, package, debug and require are absent, and
// print writes to stderr so that stdout keeps carrying only the product. ffi is there for
// zero-copy access to weights: raw pointers make plug-in code trusted code, so the sandbox
// guards against mistakes, not against hostile files. Every call goes through lua_pcall
// with a message handler that records the Lua file and line of the failure; a plug-in
// error is a LuaError, never a crash. Depends on core/ and diag/ only.
#pragma once

#include <string>

#include "diag/diagnostic.h"

struct lua_State;

namespace sketch {

/// Where and why plug-in code failed.
struct LuaError {
  std::string file;  // the .lua file (full path), or empty when unknown
  int line = 0;      // 0 when unknown
  std::string message;
  std::string traceback;

  /// "kernels/dot.lua:12": the place, as diagnostics name it.
  std::string where() const;
};

class LuaState {
 public:
  LuaState();
  ~LuaState();
  LuaState(const LuaState&) = delete;
  LuaState& operator=(const LuaState&) = delete;

  lua_State* get() const { return L_; }

  /// Compiles `source` (the text of `path`) and runs it with its own global environment,
  /// whose reads fall back to the sandbox's globals.
  bool runFile(const std::string& path, const std::string& source, LuaError& error);
  /// Calls the function below `nargs` arguments on the stack, leaving `nresults` results.
  /// On failure the stack is as before the function was pushed.
  bool call(int nargs, int nresults, LuaError& error);

 private:
  void openSandbox();

  lua_State* L_;
};

/// Reports a plug-in failure at its Lua file and line, with the traceback as a note.
Diagnostic& reportLuaError(DiagnosticEngine& diags, diag::Kind kind, const LuaError& error,
                           const std::string& context);

/// The file and first line of the Lua function at `index` ("dot.lua:12").
LuaError functionLocation(lua_State* L, int index);

}  // namespace sketch
