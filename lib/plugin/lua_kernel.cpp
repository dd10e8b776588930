#include "plugin/lua_kernel.h"

#include <lua.hpp>

#include "plugin/lua_model.h"
#include "plugin/lua_output.h"

namespace sketch {

namespace {

const char kExportKey[] = "sketch.export";

// What sketch.unsupported needs while an export runs.
struct ExportScope {
  const Graph& graph;
  DiagnosticEngine& diags;
  const std::string& kernel;
  size_t reported = 0;
  lua_State* L;

  ExportScope(lua_State* state, const Graph& g, DiagnosticEngine& d, const std::string& k)
      : graph(g), diags(d), kernel(k), L(state) {
    lua_pushlightuserdata(L, this);
    lua_setfield(L, LUA_REGISTRYINDEX, kExportKey);
  }
  ~ExportScope() {
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, kExportKey);
  }
};

// sketch.unsupported(node, reason): reports the block at its location; the export then
// fails once it returns.
int unsupported(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kExportKey);
  auto* scope = static_cast<ExportScope*>(lua_touserdata(L, -1));
  if (!scope) return luaL_error(L, "sketch.unsupported is only for use while a kernel exports");
  luaL_checktype(L, 1, LUA_TTABLE);
  const char* reason = luaL_optstring(L, 2, "");
  lua_getfield(L, 1, "id");
  lua_Number id = lua_tonumber(L, -1);
  if (!lua_isnumber(L, -1) || id < 0 || id >= scope->graph.nodes.size())
    return luaL_error(L, "sketch.unsupported expects a node of the model");
  const Node& node = scope->graph.node(static_cast<NodeId>(id));
  std::string message = "the " + scope->kernel + " kernel cannot express " + node.op->name() +
                        " '" + node.path + "'";
  if (*reason) message += ": " + std::string(reason);
  scope->diags.report(diag::UnsupportedOp, node.span, message);
  ++scope->reported;
  return 0;
}

void pushOptions(lua_State* L, const ExportOptions& options, const std::string& kernel) {
  lua_createtable(L, 0, 3);
  lua_pushstring(L, options.outputPath.c_str());
  lua_setfield(L, -2, "output");
  lua_pushstring(L, kernel.c_str());
  lua_setfield(L, -2, "kernel");
  // --dtype, which plug-ins read as the element type they are asked for.
  auto dtype = options.kernelOptions.find("dtype");
  lua_pushstring(L, dtype == options.kernelOptions.end() ? "float32"
                                                         : dtype->second.asString().c_str());
  lua_setfield(L, -2, "dtype");
}

}  // namespace

void registerUnsupportedFunction(lua_State* L) {
  lua_pushcfunction(L, unsupported);
  lua_setfield(L, -2, "unsupported");
}

LuaKernel::LuaKernel(std::shared_ptr<LuaState> state, LuaKernelInfo info)
    : state_(std::move(state)), info_(std::move(info)) {}

std::vector<std::string> LuaKernel::opNames() const {
  if (info_.everyOp) return {"*"};
  if (info_.opsRef) return catalogueOpsWhere([this](const std::string& op) { return supportsOp(op); });
  return std::vector<std::string>(info_.ops.begin(), info_.ops.end());
}

// A failing ops function counts as "no": the block is then reported as unsupported.
bool LuaKernel::supportsOp(const std::string& op) const {
  if (info_.everyOp || info_.ops.count(op)) return true;
  if (!info_.opsRef) return false;
  auto known = answers_.find(op);
  if (known != answers_.end()) return known->second;
  lua_State* L = state_->get();
  lua_rawgeti(L, LUA_REGISTRYINDEX, info_.opsRef);
  lua_pushstring(L, op.c_str());
  LuaError error;
  bool yes = state_->call(1, 1, error) && lua_toboolean(L, -1);
  if (error.message.empty()) lua_pop(L, 1);
  return answers_[op] = yes;
}

bool LuaKernel::supports(const Node& node) const {
  return node.op && (node.op->category() == "input" || supportsOp(node.op->name()));
}

bool LuaKernel::exportModel(const Graph& graph, const WeightStore& weights,
                            const ExportOptions& options, DiagnosticEngine& diags) const {
  lua_State* L = state_->get();
  int top = lua_gettop(L);
  LuaOutput output(options, weights);
  ExportScope scope(L, graph, diags, info_.name);
  lua_rawgeti(L, LUA_REGISTRYINDEX, info_.exportRef);
  pushModel(L, graph, diags.sources());
  pushWeights(L, weights);
  output.pushWriter(L);
  pushOptions(L, options, info_.name);
  LuaError error;
  bool ran = state_->call(4, 2, error);
  output.close(L);
  if (!ran) {
    reportLuaError(diags, diag::PluginError, error, "the " + info_.name + " kernel failed");
    lua_settop(L, top);
    return false;
  }
  bool ok = checkResults(lua_gettop(L), diags);
  lua_settop(L, top);
  if (!ok || scope.reported > 0) return false;
  if (!output.wroteOutput()) {
    diags.reportFile(diag::PluginError, info_.file + ":" + std::to_string(info_.line),
                     "the " + info_.name + " kernel returned without writing '" +
                         options.outputPath + "'");
    return false;
  }
  return output.commit(diags);
}

// The contract: return nothing or true on success, false and a message on failure.
bool LuaKernel::checkResults(int second, DiagnosticEngine& diags) const {
  lua_State* L = state_->get();
  int first = second - 1;  // the two results are the stack's top two slots
  if (lua_isnil(L, first) || (lua_isboolean(L, first) && lua_toboolean(L, first))) return true;
  LuaError where;
  where.file = info_.file;
  where.line = info_.exportLine;
  if (lua_isboolean(L, first)) {
    where.message = lua_isstring(L, second) ? lua_tostring(L, second) : "export returned false";
    reportLuaError(diags, diag::PluginError, where, "the " + info_.name + " kernel failed");
    return false;
  }
  where.message = std::string("export returned a ") + luaL_typename(L, first) +
                  ", expected nothing, true, or false and a message";
  reportLuaError(diags, diag::PluginError, where, "the " + info_.name + " kernel failed");
  return false;
}

}  // namespace sketch
