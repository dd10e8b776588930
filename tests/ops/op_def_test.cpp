#include "ops/op_def.h"

#include <doctest/doctest.h>

#include <map>

#include "layer_test_support.h"
#include "ops/bind_arguments.h"

namespace sketch {
namespace {

using testing::ArgumentText;

TEST_CASE("ops of one family differ in rank, and their names say it") {
  std::map<std::string, std::vector<int>> ranks;
  for (const std::string& name : catalogue().names()) {
    const OpDef& op = *catalogue().find(name);
    if (op.family() == op.name()) {
      CHECK(op.rank() == 0);
      continue;
    }
    CAPTURE(name);
    CHECK(name == op.family() + std::to_string(op.rank()) + "d");
    ranks[op.family()].push_back(op.rank());
  }
  const std::map<std::string, std::vector<int>> expected = {
      {"AdaptiveAvgPool", {1, 2, 3}}, {"AdaptiveMaxPool", {1, 2, 3}}, {"AvgPool", {1, 2, 3}},
      {"BatchNorm", {1, 2, 3}},       {"ConstantPad", {1, 2, 3}},     {"Conv", {1, 2, 3}},
      {"ConvTranspose", {1, 2, 3}},   {"InstanceNorm", {1, 2, 3}},    {"MaxPool", {1, 2, 3}}};
  CHECK(ranks == expected);
}

TEST_CASE("a first block implies the graph input") {
  struct Case {
    const char* op;
    const char* args;
    const char* implied;  // "" when the op implies nothing
  };
  const Case cases[] = {
      {"Conv1d", "4, 8, 3", "float32[N, 4, L]"},
      {"Conv2d", "3, 16, 3", "float32[N, 3, H, W]"},
      {"Conv3d", "2, 4, 3", "float32[N, 2, D, H, W]"},
      {"ConvTranspose2d", "8, 4, 2", "float32[N, 8, H, W]"},
      {"Conv2d", "out_channels=16, kernel_size=3", ""},  // in_channels left to inference
      {"BatchNorm1d", "10", "float32[N, 10]"},
      {"BatchNorm2d", "10", "float32[N, 10, H, W]"},
      {"Linear", "20, 5", "float32[N, 20]"},
      {"Embedding", "100, 8", "int64[N, L]"},
      {"LSTM", "6, 12", "float32[L, N, 6]"},
      {"GRU", "6, 12, batch_first=true", "float32[N, L, 6]"},
      {"MultiheadAttention", "16, 4", "float32[L, N, 16]"},
      {"TransformerEncoderLayer", "16, 4, batch_first=true", "float32[N, L, 16]"},
      {"ReLU", "", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.op);
    CAPTURE(c.args);
    const OpDef& op = *catalogue().find(c.op);
    BindResult bound = bindArguments(op, ArgumentText(c.args).arguments());
    REQUIRE(bound.issues.empty());
    std::optional<TensorType> implied = op.impliedInputFor(bound.attrs);
    CHECK((implied ? implied->toString() : std::string()) == c.implied);
  }
}

}  // namespace
}  // namespace sketch
