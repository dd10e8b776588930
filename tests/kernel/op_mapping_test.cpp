#include "kernel/op_mapping.h"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "ops/catalogue.h"

namespace sketch {
namespace {

/// A row as small as a kernel's: it writes, and reads the names in `reads`.
struct TestRow : OpMappingRow<TestRow> {
  using OpMappingRow::OpMappingRow;
  bool writes = true;
  std::vector<std::string> reads;
  TestRow& readOnly() {
    writes = false;
    reads = {foreign};
    return *this;
  }
  bool exports() const { return writes; }
  std::vector<std::string> readKeys() const { return reads; }
};

/// Whether building a table of `rows` aborts (in a child process, which doctest's crash
/// handler must not see).
bool aborts(std::vector<TestRow> rows) {
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::signal(SIGABRT, SIG_DFL);
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    OpMappingTable<TestRow> table("test", std::move(rows));
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

TEST_CASE("an op table expands families from the catalogue and looks up both ways") {
  OpMappingTable<TestRow> table(
      "test", {TestRow("Conv", "Conv"), TestRow("ReLU", "Relu"),
               TestRow("ReLU", "Clip").readOnly(), TestRow("AdaptiveAvgPool", "Global").readOnly()});
  CHECK(table.writer("Conv1d") == &table.rows()[0]);
  CHECK(table.writer("Conv3d") == &table.rows()[0]);
  CHECK(table.writer("ConvTranspose2d") == nullptr);
  CHECK(table.reader("Clip") == &table.rows()[2]);
  CHECK(table.reader("Relu") == nullptr);
  // Catalogue order: convolutions, then activations, then pools.
  CHECK(table.writtenOps() == std::vector<std::string>{"Conv1d", "Conv2d", "Conv3d", "ReLU"});
  CHECK(table.readOps() == std::vector<std::string>{"ReLU", "AdaptiveAvgPool1d",
                                                    "AdaptiveAvgPool2d", "AdaptiveAvgPool3d"});
}

TEST_CASE("an op table that is not consistent aborts when built") {
  CHECK(aborts({TestRow("NoSuchOp", "X")}));
  CHECK(aborts({TestRow("ReLU", "Relu"), TestRow("ReLU", "Clip")}));  // two writers
  CHECK(aborts({TestRow("Conv", "Conv"), TestRow("Conv2d", "Conv")}));  // via the family
  CHECK(aborts({TestRow("ReLU", "Relu").readOnly(), TestRow("ReLU6", "Relu").readOnly()}));
  TestRow idle("ReLU", "Relu");
  idle.writes = false;
  CHECK(aborts({idle}));
  CHECK_FALSE(aborts({TestRow("ReLU", "Relu"), TestRow("ReLU", "Relu").readOnly()}));
}

TEST_CASE("an op table supports graph inputs, its ops, and what a row's check allows") {
  TestRow linear("Linear", "Gemm");
  linear.only([](const Node& n) { return n.attrs.at("bias").asBool(); }, "with a bias: Gemm adds C");
  OpMappingTable<TestRow> table("test", {linear});
  Node input, withBias, withoutBias, relu;
  input.op = catalogue().find("Input");
  withBias.op = withoutBias.op = catalogue().find("Linear");
  withBias.attrs["bias"] = Value::ofBool(true);
  withoutBias.attrs["bias"] = Value::ofBool(false);
  relu.op = catalogue().find("ReLU");
  CHECK(table.supports(input));
  CHECK(table.supports(withBias));
  CHECK_FALSE(table.supports(withoutBias));
  CHECK_FALSE(table.supports(relu));
  // The report on a refused block says why, when a row's check refused it.
  CHECK(table.limitation(withBias).empty());
  CHECK(table.limitation(withoutBias) == "the test kernel writes Linear only with a bias: Gemm adds C");
  CHECK(table.limitation(relu).empty());
}

TEST_CASE("mapped attributes convert both ways, with the framework's default") {
  AttrMapping slope{"negative_slope", "alpha", Value::ofFloat(0.01)};
  Attrs attrs{{"negative_slope", Value::ofFloat(0.2)}};
  CHECK(theirValue(slope, attrs) == Value::ofFloat(0.2));
  auto given = ourArgument(slope, Value::ofFloat(0.3));
  REQUIRE(given);
  CHECK(given->keyword == "negative_slope");
  CHECK(given->value == Value::ofFloat(0.3));
  CHECK(ourArgument(slope, std::nullopt)->value == Value::ofFloat(0.01));
  AttrMapping noDefault{"dim", "axis"};
  CHECK_FALSE(ourArgument(noDefault, std::nullopt));

  // Lua's 1-based indices.
  AttrMapping index{"padding_idx", "paddingValue", Value(),
                    [](const Value& v) { return Value::ofInt(v.asInt() + 1); },
                    [](const Value& v) { return Value::ofInt(v.asInt() - 1); }};
  CHECK(theirValue(index, {{"padding_idx", Value::ofInt(0)}}) == Value::ofInt(1));
  CHECK(ourArgument(index, Value::ofInt(3))->value == Value::ofInt(2));
  std::vector<CallArgument> args = ourArguments({slope, noDefault}, [](const std::string& name) {
    return name == "axis" ? std::optional<Value>(Value::ofInt(1)) : std::nullopt;
  });
  REQUIRE(args.size() == 2);
  CHECK(args[1].keyword == "dim");
}

}  // namespace
}  // namespace sketch
