#include "plugin/lua_output.h"

#include <lua.hpp>

#include <cctype>
#include <filesystem>

namespace sketch {

namespace {

const char kWriterType[] = "sketch.writer";

struct Writer {
  LuaOutput* output;  // null once the export has returned
  std::string* path;  // owned by the LuaOutput's file list or by `ownPath`
  LuaOutput::File* file;
};

Writer& checkWriter(lua_State* L) {
  auto* w = static_cast<Writer*>(luaL_checkudata(L, 1, kWriterType));
  if (!w->output) luaL_error(L, "this writer belongs to an export that has finished");
  return *w;
}

LuaOutput::File& fileOf(lua_State* L, Writer& w) {
  if (!w.file) {
    std::string error;
    w.file = w.output->openFile(*w.path, error);
    if (!w.file) luaL_error(L, "%s", error.c_str());
  }
  return *w.file;
}

void writeBytes(lua_State* L, Writer& w, const void* data, size_t size) {
  LuaOutput::File& f = fileOf(L, w);
  f.file->write(data, size);
  f.size += size;
}

int writerWrite(lua_State* L) {
  Writer& w = checkWriter(L);
  for (int i = 2; i <= lua_gettop(L); ++i) {
    size_t size = 0;
    const char* text = luaL_checklstring(L, i, &size);
    writeBytes(L, w, text, size);
  }
  lua_settop(L, 1);
  return 1;
}

// Tensor bytes go straight from the weight store (often a mapped file) to the output.
int writerWriteTensor(lua_State* L) {
  Writer& w = checkWriter(L);
  if (lua_istable(L, 2)) lua_getfield(L, 2, "name");
  else lua_pushvalue(L, 2);
  const char* name = luaL_checkstring(L, -1);
  const Tensor* tensor = w.output->weights().find(name);
  if (!tensor) return luaL_error(L, "there is no weight named '%s'", name);
  writeBytes(L, w, tensor->data(), tensor->byteSize());
  lua_settop(L, 1);
  return 1;
}

int writerTell(lua_State* L) {
  Writer& w = checkWriter(L);
  lua_pushnumber(L, static_cast<lua_Number>(w.file ? w.file->size : 0));
  return 1;
}

int writerPath(lua_State* L) {
  lua_pushstring(L, checkWriter(L).path->c_str());
  return 1;
}

int writerName(lua_State* L) {
  lua_pushstring(L, std::filesystem::path(*checkWriter(L).path).filename().string().c_str());
  return 1;
}

bool isPlainSuffix(const std::string& suffix) {
  if (suffix.size() < 2 || suffix[0] != '.') return false;
  for (char c : suffix.substr(1))
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return false;
  return true;
}

int pushNewWriter(lua_State* L, LuaOutput* output, std::string* path);

int writerSidecar(lua_State* L) {
  Writer& w = checkWriter(L);
  std::string suffix = luaL_checkstring(L, 2);
  if (!isPlainSuffix(suffix))
    return luaL_error(L, "a sidecar suffix is an extension such as '.bin', got '%s'", suffix.c_str());
  if (w.output->outputPath() == "-") return luaL_error(L, "a sidecar needs an output file, not stdout");
  std::filesystem::path path(w.output->outputPath());
  std::string sidecar = path.replace_extension(suffix).string();
  if (sidecar == w.output->outputPath())
    return luaL_error(L, "the sidecar '%s' is the output itself", sidecar.c_str());
  std::string error;
  LuaOutput::File* file = w.output->openFile(sidecar, error);
  if (!file) return luaL_error(L, "%s", error.c_str());
  return pushNewWriter(L, w.output, &file->path);
}

const luaL_Reg kWriterMethods[] = {{"write", writerWrite},   {"write_tensor", writerWriteTensor},
                                   {"tell", writerTell},     {"path", writerPath},
                                   {"name", writerName},     {"sidecar", writerSidecar},
                                   {nullptr, nullptr}};

// The registry table of open writers lives in the LuaOutput (writerRefs_); this pushes a
// fresh userdata and returns 1.
int pushNewWriter(lua_State* L, LuaOutput* output, std::string* path) {
  auto* w = static_cast<Writer*>(lua_newuserdata(L, sizeof(Writer)));
  *w = Writer{output, path, nullptr};
  if (luaL_newmetatable(L, kWriterType)) {
    lua_newtable(L);
    luaL_register(L, nullptr, kWriterMethods);
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, "sketch.writer");
    lua_setfield(L, -2, "__metatable");
  }
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  output->registerWriter(L);
  return 1;
}

}  // namespace

LuaOutput::LuaOutput(const ExportOptions& options, const WeightStore& weights)
    : options_(options), weights_(weights), mainPath_(options.outputPath) {}

LuaOutput::~LuaOutput() = default;

void LuaOutput::registerWriter(lua_State* L) { writerRefs_.push_back(luaL_ref(L, LUA_REGISTRYINDEX)); }

void LuaOutput::pushWriter(lua_State* L) { pushNewWriter(L, this, &mainPath_); }

void LuaOutput::close(lua_State* L) {
  for (int ref : writerRefs_) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    static_cast<Writer*>(lua_touserdata(L, -1))->output = nullptr;
    lua_pop(L, 1);
    luaL_unref(L, LUA_REGISTRYINDEX, ref);
  }
  writerRefs_.clear();
}

LuaOutput::File* LuaOutput::openFile(const std::string& path, std::string& error) {
  for (auto& f : files_)
    if (f->path == path) return f.get();
  auto file = std::make_unique<File>();
  file->path = path;
  // `-o -` is standard output, written in place like any file that is not a regular one.
  file->file = AtomicFile::open(path == "-" ? "/dev/stdout" : path, &error, options_.protectedPaths);
  if (!file->file) return nullptr;
  files_.push_back(std::move(file));
  return files_.back().get();
}

bool LuaOutput::wroteOutput() const {
  for (const auto& f : files_)
    if (f->path == mainPath_) return true;
  return false;
}

bool LuaOutput::commit(DiagnosticEngine& diags) {
  bool ok = true;
  for (auto& f : files_) {
    std::string error;
    if (!f->file->commit(&error)) {
      diags.reportFile(diag::FileWrite, f->path, error);
      ok = false;
    }
  }
  return ok;
}

}  // namespace sketch
