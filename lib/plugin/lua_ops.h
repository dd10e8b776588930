// Custom ops declared in Lua: sketch.op{...} becomes an OpDef whose shape, parameter and
// MAC functions call back into the Lua state, so the language, check and summary treat it
// like a built-in op. Kernels that do not list it report it as unsupported.
#pragma once

#include <functional>
#include <memory>

#include "ops/op_def.h"
#include "plugin/lua_state.h"

namespace sketch {

/// Receives failures of op functions that run without a ShapeContext (params, MACs).
using LuaProblemSink = std::function<void(const LuaError&, const std::string& context)>;

/// The OpDef declared by the table at `index`. A malformed declaration raises a Lua error
/// (so it is reported at the declaring line).
OpDef declareLuaOp(lua_State* L, int index, std::shared_ptr<LuaState> state, LuaProblemSink sink);

}  // namespace sketch
