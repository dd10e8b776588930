#include <doctest/doctest.h>

#include "op_testing.h"

using namespace sketch;
using namespace sketch::testing;

namespace {

Value list(std::vector<Value> items) { return Value::ofList(std::move(items)); }

std::string constantType(const Value& value, const Value& dtype = Value::none()) {
  auto run = runShape("Constant", {{"value", value}, {"dtype", dtype}}, {});
  return run.messages.empty() ? run.outputs[0].toString() : run.result();
}

}  // namespace

TEST_CASE("Constant takes its shape and dtype from the value like torch.tensor") {
  CHECK(constantType(F(1.5)) == "float32[]");
  CHECK(constantType(I(3)) == "int64[]");
  CHECK(constantType(B(true)) == "bool[]");
  CHECK(constantType(Ints({1, 2, 3})) == "int64[3]");
  CHECK(constantType(list({list({F(1), F(2)}), list({F(3), F(4)})})) == "float32[2, 2]");
  CHECK(constantType(list({I(1), F(2.5)})) == "float32[2]");
  CHECK(constantType(list({B(true), B(false)})) == "bool[2]");
  CHECK(constantType(list({})) == "float32[0]");
  CHECK(constantType(list({list({}), list({})})) == "float32[2, 0]");
  CHECK(constantType(Ints({1, 2}), S("float64")) == "float64[2]");
  CHECK(constantType(Ints({1, 2}), S("long")) == "int64[2]");
}

TEST_CASE("Constant reports values torch.tensor rejects") {
  CHECK(constantType(list({Ints({1, 2}), Ints({3})})) ==
        "Constant 'node' value is ragged: a list at depth 1 has 1 items");
  CHECK(constantType(list({Ints({1, 2}), I(3)})) ==
        "Constant 'node' value mixes numbers and lists at depth 1");
  CHECK(constantType(list({S("a")})) == "Constant 'node' value holds string \"a\"");
  auto run = runShape("Constant", {{"value", I(1)}, {"dtype", S("flaot32")}}, {});
  CHECK(run.result() == "Constant 'node' got unknown dtype 'flaot32'");
  CHECK(run.helps == std::vector<std::string>{"did you mean 'float32'?"});
}

TEST_CASE("Parameter is one tensor named by the node's path") {
  auto run = runShape("Parameter", {{"shape", Ints({1, 1, 768})}}, {});
  REQUIRE(run.messages.empty());
  CHECK(run.outputs[0].toString() == "float32[1, 1, 768]");
  REQUIRE(run.params.size() == 1);
  CHECK(run.params[0].name == "");
  CHECK(run.params[0].shape == std::vector<int64_t>{1, 1, 768});
  CHECK(run.params[0].init.kind == Init::Kind::Fill);
  CHECK(run.params[0].init.value == 0);

  auto normal = runShape(
      "Parameter", {{"shape", Ints({1, 197, 768})}, {"init", S("normal")}, {"scale", F(0.02)}}, {});
  CHECK(normal.params[0].init.kind == Init::Kind::Normal);
  CHECK(normal.params[0].init.value == doctest::Approx(0.02));
  CHECK(runShape("Parameter", {{"shape", I(10)}}, {}).outputs[0].toString() == "float32[10]");
  CHECK(runShape("Parameter", {{"shape", Ints({2, -1})}}, {}).result() ==
        "Parameter 'node' got negative size -1 in shape (2, -1)");
}
