// lib/plugin and the run-time layers it fills: the sandbox, error locations, the catalogue's
// extension layer and the registry's deferred kernels.
#include <doctest/doctest.h>

#include <lua.hpp>

#include "kernel/kernel_registry.h"
#include "ops/catalogue.h"
#include "plugin/lua_state.h"
#include "plugin/lua_values.h"

using namespace sketch;

TEST_CASE("lua sandbox: only the documented libraries are there") {
  LuaState state;
  LuaError error;
  const char* source =
      "for _, name in ipairs{'io', 'os', 'debug', 'package', 'require', 'dofile', 'loadfile', 'jit'} do\n"
      "  assert(_G[name] == nil, name .. ' is reachable')\n"
      "end\n"
      "assert(ffi.C == nil and ffi.load == nil, 'ffi reaches C')\n"
      "assert(ffi.cast and string.format and table.concat and math.floor and bit.band)\n"
      "assert(tonumber(ffi.cast('int32_t', 7)) == 7)\n";
  CHECK_MESSAGE(state.runFile("/virtual/sandbox.lua", source, error), error.message);
}

TEST_CASE("lua errors carry the file and line") {
  struct Case {
    const char* source;
    int line;
    const char* message;
  };
  const Case cases[] = {
      {"local x = nil\nreturn x.y\n", 2, "attempt to index local 'x' (a nil value)"},
      {"x = = 1\n", 1, "unexpected symbol near '='"},
      {"\n\nerror('custom failure')\n", 3, "custom failure"},
      {"error({})\n", 1, "error object is a table value"},
      {"io.write('x')\n", 1, "attempt to index global 'io' (a nil value)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.source);
    LuaState state;
    LuaError error;
    CHECK_FALSE(state.runFile("/virtual/kernel.lua", c.source, error));
    CHECK(error.file == "/virtual/kernel.lua");
    CHECK(error.line == c.line);
    CHECK(error.message == c.message);
    CHECK(error.where() == "/virtual/kernel.lua:" + std::to_string(c.line));
  }
}

TEST_CASE("lua files keep their globals apart") {
  LuaState state;
  LuaError error;
  REQUIRE(state.runFile("/virtual/a.lua", "shared = 1\n", error));
  CHECK(state.runFile("/virtual/b.lua", "assert(shared == nil)\n", error));
}

TEST_CASE("op catalogue: the extension layer loads once, on the first miss") {
  OpCatalogue c;
  c.add(OpDef("Known", "a built-in op"));
  int loads = 0;
  c.setExtensionLoader([&] {
    ++loads;
    CHECK(c.addExtension(OpDef("Custom", "declared at run time")));
    CHECK_FALSE(c.addExtension(OpDef("Known", "may not replace a built-in op")));
  });
  CHECK(c.find("Known") != nullptr);
  CHECK(loads == 0);
  CHECK(c.find("Custom") != nullptr);
  CHECK(c.find("Missing") == nullptr);
  CHECK(loads == 1);
  CHECK(c.isExtension("Custom"));
  CHECK_FALSE(c.isExtension("Known"));
  CHECK(c.names() == std::vector<std::string>{"Known", "Custom"});
  CHECK(c.find("Known")->doc() == "a built-in op");
}

TEST_CASE("kernel registry: the deferred source runs once") {
  KernelRegistry registry;
  SourceManager sources;
  DiagnosticEngine diags(sources);
  int runs = 0;
  registry.setDeferredSource([&](KernelRegistry&, DiagnosticEngine&) { ++runs; });
  CHECK(registry.loadDeferred(diags));
  CHECK_FALSE(registry.loadDeferred(diags));
  CHECK(runs == 1);
}

TEST_CASE("lua values: tensor types round-trip, symbolic dims resolve by spelling") {
  LuaState state;
  lua_State* L = state.get();
  std::map<std::string, Dim> dims{{"2*N", Dim::symbol("N") * 2}};
  TensorType type = TensorType::of(DType::Int64, {Dim::symbol("N") * 2, Dim::known(3)});
  pushTensorType(L, type);
  std::string error;
  std::optional<TensorType> back = toTensorType(L, -1, DType::Float32, dims, error);
  REQUIRE_MESSAGE(back, error);
  CHECK(*back == type);
  lua_pop(L, 1);

  REQUIRE(luaL_dostring(L, "return {'M', 4}") == 0);  // a plain shape array, a new symbol
  back = toTensorType(L, -1, DType::Float32, dims, error);
  REQUIRE(back);
  CHECK(back->toString() == "float32[M, 4]");
  lua_pop(L, 1);

  REQUIRE(luaL_dostring(L, "return {shape = {'3*K', 1.5}}") == 0);
  CHECK_FALSE(toTensorType(L, -1, DType::Float32, dims, error));
  CHECK(error == "the symbolic dim '3*K' is not one of the input dims");
  lua_pop(L, 1);
}

TEST_CASE("lua values: attribute values keep none, lists and numbers") {
  LuaState state;
  lua_State* L = state.get();
  const Value values[] = {Value::none(), Value::ofBool(true), Value::ofInt(-3),
                          Value::ofFloat(0.25), Value::ofString("same"),
                          Value::ofList({Value::ofInt(1), Value::ofList({Value::ofInt(2)})})};
  for (const Value& v : values) {
    CAPTURE(v.toString());
    pushValue(L, v);
    std::string error;
    std::optional<Value> back = toValue(L, -1, error);
    REQUIRE(back);
    CHECK(*back == v);
    lua_pop(L, 1);
  }
}
