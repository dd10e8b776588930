#include <doctest/doctest.h>

#include "op_testing.h"

using namespace sketch;
using namespace sketch::testing;

TEST_CASE("pointwise losses broadcast the target and reduce to a scalar") {
  for (const char* op : {"MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "KLDivLoss"}) {
    std::string name = op;
    checkShapes({
        {op, {}, {"[N, 5]", "[N, 5]"}, "[]"},
        {op, {{"reduction", S("sum")}}, {"[N, 5]", "[N, 5]"}, "[]"},
        {op, {{"reduction", S("none")}}, {"[N, 5]", "[N, 5]"}, "[N, 5]"},
        {op, {{"reduction", S("none")}}, {"[4, 1]", "[5]"}, "[4, 5]"},
    });
    CHECK(runShape(op, {}, {ty("[N, 5]"), ty("[N, 6]")}).result() ==
          name + " 'node' cannot broadcast the target with the input: 'b' gives [N, 6] and 'a' "
                 "gives [N, 5]");
  }
  checkShapes({
      {"KLDivLoss", {{"reduction", S("batchmean")}}, {"[N, 5]", "[N, 5]"}, "[]"},
      {"SmoothL1Loss",
       {{"beta", F(-1.0)}},
       {"[3]", "[3]"},
       "SmoothL1Loss 'node' needs beta >= 0, but got -1.0"},
      {"HuberLoss",
       {{"delta", F(0.0)}},
       {"[3]", "[3]"},
       "HuberLoss 'node' needs delta > 0, but got 0.0"},
  });
}

TEST_CASE("deprecated size_average and reduce still pick the reduction") {
  checkShapes({
      {"MSELoss", {{"reduce", B(false)}}, {"[N, 5]", "[N, 5]"}, "[N, 5]"},
      {"MSELoss",
       {{"size_average", B(false)}, {"reduction", S("none")}},
       {"[N, 5]", "[N, 5]"},
       "[]"},
      {"NLLLoss", {{"reduce", B(false)}}, {"[N, 5]", "int64[N]"}, "[N]"},
  });
}

TEST_CASE("CrossEntropyLoss and NLLLoss take class indices without the class dim") {
  for (const char* op : {"CrossEntropyLoss", "NLLLoss"}) {
    std::string name = op;
    checkShapes({
        {op, {}, {"[N, 5]", "int64[N]"}, "[]"},
        {op, {{"reduction", S("none")}}, {"[N, 5]", "int64[N]"}, "[N]"},
        {op, {{"reduction", S("none")}}, {"[N, 5, H, W]", "int64[N, H, W]"}, "[N, H, W]"},
        {op, {{"reduction", S("none")}}, {"[5]", "int64[]"}, "[]"},
        {op,
         {{"weight", Value::ofList({F(1), F(2), F(1), F(1), F(0.5)})}},
         {"[N, 5]", "int64[N]"},
         "[]"},
    });
    CHECK(runShape(op, {}, {ty("[4, 5]"), ty("int64[3]")}).result() ==
          name +
              " 'node' expects a target of shape [4] (the input's without the class dim), but "
              "'b' gives [3]");
    CHECK(runShape(op, {}, {ty("[N, 5, 3]"), ty("int64[N, 2]")}).result() ==
          name +
              " 'node' expects a target of shape [N, 3] (the input's without the class dim), "
              "but 'b' gives [N, 2]");
    CHECK(runShape(op, {{"weight", Value::ofList({F(1), F(2)})}}, {ty("[N, 5]"), ty("int64[N]")})
              .result() == name + " 'node' expects one weight per class (5), but got 2");
  }
  checkShapes({
      {"NLLLoss",
       {},
       {"[4, 5]", "int32[4]"},
       "NLLLoss 'node' expects int64 class indices as target, but 'b' gives [4] of type int32"},
      {"CrossEntropyLoss",
       {},
       {"[4, 5]", "int32[4]"},
       "CrossEntropyLoss 'node' expects int64 class indices or float probabilities as target, but "
       "'b' gives [4] of type int32"},
  });
}

TEST_CASE("CrossEntropyLoss reads a floating-point target as probabilities") {
  checkShapes({
      {"CrossEntropyLoss", {{"reduction", S("none")}}, {"[N, 5]", "[N, 5]"}, "[N]"},
      {"CrossEntropyLoss", {{"reduction", S("none")}}, {"[N, 5, L]", "[N, 5, L]"}, "[N, L]"},
      {"CrossEntropyLoss",
       {},
       {"[N, 5]", "[N, 6]"},
       "CrossEntropyLoss 'node' expects probabilities of the input's shape [N, 5], but 'b' gives "
       "[N, 6]"},
      {"CrossEntropyLoss",
       {{"label_smoothing", F(1.5)}},
       {"[N, 5]", "int64[N]"},
       "CrossEntropyLoss 'node' needs label_smoothing in [0, 1], but got 1.5"},
  });
}

TEST_CASE("binary cross entropy needs the input's shape exactly") {
  for (const char* op : {"BCELoss", "BCEWithLogitsLoss"}) {
    std::string name = op;
    checkShapes({
        {op, {}, {"[N, 5]", "[N, 5]"}, "[]"},
        {op, {{"reduction", S("none")}}, {"[N, 5]", "[N, 5]"}, "[N, 5]"},
        {op,
         {{"weight", Value::ofList({F(1), F(2), F(3), F(4), F(5)})}},
         {"[N, 5]", "[N, 5]"},
         "[]"},
    });
    CHECK(runShape(op, {}, {ty("[N, 1]"), ty("[N]")}).result() ==
          name + " 'node' expects a target of the input's shape [N, 1], but 'b' gives [N]");
    CHECK(
        runShape(op, {{"weight", Value::ofList({F(1), F(2), F(3)})}}, {ty("[N, 5]"), ty("[N, 5]")})
            .result() == name + " 'node' cannot broadcast weight of shape [3] to the input: 'a' "
                                "gives [N, 5]");
  }
  CHECK(runShape("BCEWithLogitsLoss", {{"pos_weight", Value::ofList({F(1), F(2)})}},
                 {ty("[N, 5]"), ty("[N, 5]")})
            .result() ==
        "BCEWithLogitsLoss 'node' cannot broadcast pos_weight of shape [2] to the input: 'a' gives "
        "[N, 5]");
}

TEST_CASE("loss weights are buffers, as in PyTorch's state_dict") {
  auto run = runShape("BCEWithLogitsLoss", {{"pos_weight", Value::ofList({F(1), F(2), F(3)})}},
                      {ty("[N, 3]"), ty("[N, 3]")});
  REQUIRE(run.params.size() == 1);
  CHECK(run.params[0].name == "pos_weight");
  CHECK(run.params[0].shape == std::vector<int64_t>{3});
  CHECK(run.params[0].buffer);
  CHECK(runShape("CrossEntropyLoss", {}, {ty("[N, 3]"), ty("int64[N]")}).params.empty());
}
