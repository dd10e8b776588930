#include "plugin/plugin_host.h"

#include <lua.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "core/file_system.h"
#include "ops/catalogue.h"
#include "plugin/lua_kernel.h"
#include "plugin/lua_ops.h"
#include "plugin/lua_values.h"

namespace fs = std::filesystem;

namespace sketch {

namespace {

const char kDeclarationsKey[] = "sketch.declarations";

struct Problem {
  diag::Kind kind;
  LuaError error;
  std::string context;
};

class PluginHost {
 public:
  static PluginHost& instance() {
    static PluginHost host;
    return host;
  }

  /// Runs every file on the search path, once.
  void load();
  void addKernels(KernelRegistry& registry);
  void report(DiagnosticEngine& diags);

 private:
  PluginHost() = default;
  void openState();
  void loadFile(const std::string& path);
  static int declareKernel(lua_State* L);
  static int declareOp(lua_State* L);
  void problem(diag::Kind kind, LuaError error, std::string context) {
    problems_.push_back({kind, std::move(error), std::move(context)});
  }

  bool loaded_ = false;
  std::shared_ptr<LuaState> state_;
  std::vector<LuaKernelInfo> kernels_;
  std::vector<Problem> problems_;
};

std::vector<std::string> splitPath(const char* list) {
  std::vector<std::string> out;
  std::string s = list ? list : "";
  size_t start = 0;
  while (start < s.size()) {
    size_t end = std::min(s.find(':', start), s.size());
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::vector<std::string> luaFilesIn(const std::string& folder) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = fs::directory_iterator(folder, ec); !ec && it != fs::directory_iterator();
       it.increment(ec))
    if (it->path().extension() == ".lua" && it->is_regular_file(ec)) files.push_back(it->path().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::string stringField(lua_State* L, const char* key) {
  lua_getfield(L, 1, key);
  std::string value = lua_isstring(L, -1) ? lua_tostring(L, -1) : "";
  lua_pop(L, 1);
  return value;
}

// Reads a list of strings in field `key` of the table at index 1.
std::vector<std::string> stringList(lua_State* L, const char* key, const std::string& kernel) {
  std::vector<std::string> out;
  lua_getfield(L, 1, key);
  if (!lua_istable(L, -1)) luaL_error(L, "kernel '%s': '%s' must be a list of strings", kernel.c_str(), key);
  for (int i = 1; i <= static_cast<int>(lua_objlen(L, -1)); ++i) {
    lua_rawgeti(L, -1, i);
    if (!lua_isstring(L, -1)) luaL_error(L, "kernel '%s': '%s' must be a list of strings", kernel.c_str(), key);
    out.push_back(lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return out;
}

}  // namespace

int PluginHost::declareKernel(lua_State* L) {
  PluginHost& host = instance();
  luaL_checktype(L, 1, LUA_TTABLE);
  LuaKernelInfo info;
  info.name = stringField(L, "name");
  if (info.name.empty()) return luaL_error(L, "sketch.kernel needs a name");
  info.description = stringField(L, "description");
  info.extensions = stringList(L, "extensions", info.name);
  for (const std::string& ext : info.extensions)
    if (ext.size() < 2 || ext[0] != '.')
      return luaL_error(L, "kernel '%s': extensions start with a dot ('.py'), got '%s'", info.name.c_str(), ext.c_str());
  lua_getfield(L, 1, "ops");
  if (lua_isfunction(L, -1)) {
    info.opsRef = luaL_ref(L, LUA_REGISTRYINDEX);
  } else {
    info.everyOp = lua_isstring(L, -1) && std::string(lua_tostring(L, -1)) == "*";
    lua_pop(L, 1);
    if (!info.everyOp)
      for (const std::string& op : stringList(L, "ops", info.name)) info.ops.insert(op);
  }
  lua_getfield(L, 1, "export");
  if (!lua_isfunction(L, -1)) return luaL_error(L, "kernel '%s' needs an export function", info.name.c_str());
  info.exportLine = functionLocation(L, -1).line;
  info.exportRef = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_Debug ar;
  if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) && ar.source[0] == '@')
    info.file = ar.source + 1, info.line = ar.currentline;
  for (const LuaKernelInfo& other : host.kernels_)
    if (other.name == info.name)
      return luaL_error(L, "kernel '%s' is already declared at %s:%d", info.name.c_str(),
                        other.file.c_str(), other.line);
  host.kernels_.push_back(std::move(info));
  return 0;
}

// sketch.declaration(name): the table a file gave sketch.op, or nil for built-in ops, so
// that kernels can read fields they define themselves (pytorch-py's `python`).
int declaration(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kDeclarationsKey);
  lua_getfield(L, -1, luaL_checkstring(L, 1));
  return 1;
}

int PluginHost::declareOp(lua_State* L) {
  PluginHost& host = instance();
  OpDef def = declareLuaOp(L, 1, host.state_, [&host](const LuaError& error, const std::string& context) {
    host.problem(diag::PluginError, error, context);
  });
  std::string name = def.name();
  if (!extensibleCatalogue().addExtension(std::move(def)))
    return luaL_error(L, "the op '%s' is already in the catalogue", name.c_str());
  lua_getfield(L, LUA_REGISTRYINDEX, kDeclarationsKey);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, name.c_str());
  return 0;
}

void PluginHost::openState() {
  state_ = std::make_shared<LuaState>();
  lua_State* L = state_->get();
  lua_newtable(L);
  lua_pushcfunction(L, declareKernel);
  lua_setfield(L, -2, "kernel");
  lua_pushcfunction(L, declareOp);
  lua_setfield(L, -2, "op");
  registerUnsupportedFunction(L);
  lua_pushcfunction(L, declaration);
  lua_setfield(L, -2, "declaration");
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kDeclarationsKey);
  pushNone(L);
  lua_setfield(L, -2, "none");
  lua_pushstring(L, SKETCH_VERSION);
  lua_setfield(L, -2, "version");
  lua_setglobal(L, "sketch");
}

void PluginHost::loadFile(const std::string& path) {
  RealFileSystem files;
  std::string source, readError;
  if (!files.readFile(path, source, readError)) {
    LuaError error;
    error.file = path;
    error.message = readError;
    problem(diag::PluginError, error, "cannot read the plug-in");
    return;
  }
  LuaError error;
  if (!state_->runFile(path, source, error)) problem(diag::PluginError, error, "cannot load the plug-in");
}

void PluginHost::load() {
  if (loaded_) return;
  loaded_ = true;
  openState();
  for (const std::string& folder : luaKernelSearchPath())
    for (const std::string& file : luaFilesIn(folder)) loadFile(file);
}

void PluginHost::addKernels(KernelRegistry& registry) {
  for (LuaKernelInfo& info : kernels_) {
    if (const Kernel* existing = registry.find(info.name)) {
      LuaError where;
      where.file = info.file, where.line = info.line;
      where.message = "the " + existing->origin() + " kernel '" + info.name + "' comes first";
      problem(diag::PluginShadowed, where, "kernel '" + info.name + "' is not used");
      continue;
    }
    registry.add(std::make_unique<LuaKernel>(state_, info));
  }
  kernels_.clear();
}

void PluginHost::report(DiagnosticEngine& diags) {
  for (const Problem& p : problems_) reportLuaError(diags, p.kind, p.error, p.context);
  problems_.clear();
}

std::vector<std::string> luaKernelSearchPath() {
  std::vector<std::string> folders = splitPath(std::getenv("SKETCH_KERNEL_PATH"));
  const char* data = std::getenv("XDG_DATA_HOME");
  const char* home = std::getenv("HOME");
  if (data && *data) folders.push_back((fs::path(data) / "sketch" / "kernels").string());
  else if (home && *home) folders.push_back((fs::path(home) / ".local/share/sketch/kernels").string());
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) folders.push_back((exe.parent_path() / ".." / "share/sketch/kernels").lexically_normal().string());
  return folders;
}

void installLuaPlugins(KernelRegistry& registry) {
  registry.setDeferredSource([](KernelRegistry& r, DiagnosticEngine& diags) {
    PluginHost& host = PluginHost::instance();
    host.load();
    host.addKernels(r);
    host.report(diags);
  });
  extensibleCatalogue().setExtensionLoader([] { PluginHost::instance().load(); });
}

void reportPluginProblems(DiagnosticEngine& diags) { PluginHost::instance().report(diags); }

}  // namespace sketch
