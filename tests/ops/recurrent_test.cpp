#include <doctest/doctest.h>

#include <cmath>

#include "op_testing.h"

using namespace sketch;
using namespace sketch::testing;

TEST_CASE("recurrent layers give output, h_n and c_n shapes") {
  Attrs lstm2{{"hidden_size", I(20)}, {"num_layers", I(2)}};
  checkShapes({
      {"LSTM", {{"hidden_size", I(20)}}, {"[L, N, 10]"}, "[L, N, 20] [1, N, 20] [1, N, 20]"},
      {"LSTM", lstm2, {"[5, N, 10]"}, "[5, N, 20] [2, N, 20] [2, N, 20]"},
      {"LSTM",
       {{"hidden_size", I(20)}, {"batch_first", B(true)}},
       {"[N, L, 10]"},
       "[N, L, 20] [1, N, 20] [1, N, 20]"},
      {"LSTM",
       {{"hidden_size", I(20)}, {"bidirectional", B(true)}},
       {"[L, 10]"},
       "[L, 40] [2, 20] [2, 20]"},
      {"LSTM",
       {{"hidden_size", I(20)}, {"proj_size", I(5)}, {"bidirectional", B(true)}},
       {"[L, N, 10]"},
       "[L, N, 10] [2, N, 5] [2, N, 20]"},
      {"GRU", {{"hidden_size", I(8)}, {"num_layers", I(3)}}, {"[L, N, 4]"}, "[L, N, 8] [3, N, 8]"},
      {"RNN", {{"hidden_size", I(8)}, {"nonlinearity", S("relu")}}, {"[L, 4]"}, "[L, 8] [1, 8]"},
  });
}

TEST_CASE("recurrent layers check initial states when they are linked") {
  Attrs lstm2{{"hidden_size", I(20)}, {"num_layers", I(2)}};
  checkShapes({
      {"LSTM",
       lstm2,
       {"[5, N, 10]", "[2, N, 20]", "[2, N, 20]"},
       "[5, N, 20] [2, N, 20] [2, N, 20]"},
      {"LSTM", lstm2, {"[5, N, 10]", "unlinked", "unlinked"}, "[5, N, 20] [2, N, 20] [2, N, 20]"},
      {"LSTM",
       lstm2,
       {"[5, N, 10]", "[1, N, 20]", "[2, N, 20]"},
       "LSTM 'node' expects h_0 of shape [2, N, 20], but 'b' gives [1, N, 20]"},
      {"LSTM",
       lstm2,
       {"[5, 10]", "[2, 3, 20]", "[2, 3, 20]"},
       "LSTM 'node' expects h_0 of shape [2, 20], but 'b' gives [2, 3, 20]; "
       "LSTM 'node' expects c_0 of shape [2, 20], but 'c' gives [2, 3, 20]"},
      {"LSTM",
       lstm2,
       {"[5, N, 10]", "[2, N, 20]", "unlinked"},
       "LSTM 'node' takes its initial state as h_0 and c_0 together"},
      {"LSTM",
       {{"hidden_size", I(20)}, {"proj_size", I(5)}},
       {"[5, N, 10]", "[1, N, 5]", "[1, N, 20]"},
       "[5, N, 5] [1, N, 5] [1, N, 20]"},
      {"GRU",
       {{"hidden_size", I(8)}},
       {"[5, N, 4]", "[1, M, 8]"},
       "GRU 'node' expects h_0 of shape [1, N, 8], but 'b' gives [1, M, 8]"},
  });
}

TEST_CASE("recurrent layers infer input_size and check their configuration") {
  checkShapes({
      {"LSTM",
       {{"input_size", I(12)}, {"hidden_size", I(20)}},
       {"[5, N, 10]"},
       "LSTM 'node' expects 12 input features, but 'a' gives [5, N, 10]"},
      {"GRU",
       {{"hidden_size", I(20)}},
       {"[2, 5, N, 10]"},
       "GRU 'node' expects a 2-D or 3-D input, but 'a' gives [2, 5, N, 10]"},
      {"RNN",
       {{"hidden_size", I(0)}, {"num_layers", I(0)}},
       {"[5, 10]"},
       "RNN 'node' needs hidden_size > 0, but got 0; RNN 'node' needs num_layers from 1 to 4096, "
       "but got 0"},
      {"LSTM",  // every layer is parameter tensors: no billions of them
       {{"hidden_size", I(16)}, {"num_layers", I(100000000)}},
       {"[5, 8]"},
       "LSTM 'node' needs num_layers from 1 to 4096, but got 100000000"},
      {"LSTM",
       {{"hidden_size", I(20)}, {"proj_size", I(20)}},
       {"[5, 10]"},
       "LSTM 'node' needs 0 <= proj_size < hidden_size (20), but got 20"},
      {"GRU",
       {{"hidden_size", I(20)}, {"dropout", F(1.5)}},
       {"[5, 10]"},
       "GRU 'node' needs dropout in [0, 1], but got 1.5"},
  });
  auto run = runShape("GRU", {{"hidden_size", I(20)}}, {ty("[5, N, 10]")});
  CHECK(run.attrs.at("input_size") == I(10));
}

TEST_CASE("recurrent parameters follow PyTorch's names, order and init") {
  auto run = runShape("LSTM",
                      {{"hidden_size", I(20)},
                       {"num_layers", I(2)},
                       {"bidirectional", B(true)},
                       {"proj_size", I(5)}},
                      {ty("[L, N, 10]")});
  std::vector<std::string> names;
  for (const ParamSpec& p : run.params) names.push_back(p.name);
  CHECK(names == std::vector<std::string>{
                     "weight_ih_l0",         "weight_hh_l0",         "bias_ih_l0",
                     "bias_hh_l0",           "weight_hr_l0",         "weight_ih_l0_reverse",
                     "weight_hh_l0_reverse", "bias_ih_l0_reverse",   "bias_hh_l0_reverse",
                     "weight_hr_l0_reverse", "weight_ih_l1",         "weight_hh_l1",
                     "bias_ih_l1",           "bias_hh_l1",           "weight_hr_l1",
                     "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse",
                     "bias_hh_l1_reverse",   "weight_hr_l1_reverse"});
  CHECK(run.params[0].shape == std::vector<int64_t>{80, 10});
  CHECK(run.params[1].shape == std::vector<int64_t>{80, 5});
  CHECK(run.params[4].shape == std::vector<int64_t>{5, 20});
  CHECK(run.params[10].shape == std::vector<int64_t>{80, 10});  // 2 directions x proj 5
  CHECK(run.params[0].init.kind == Init::Kind::Uniform);
  CHECK(run.params[0].init.value == doctest::Approx(1 / std::sqrt(20.0)));

  auto gru = runShape("GRU", {{"hidden_size", I(8)}, {"bias", B(false)}}, {ty("[L, 4]")});
  REQUIRE(gru.params.size() == 2);
  CHECK(gru.params[0].shape == std::vector<int64_t>{24, 4});
}

TEST_CASE("recurrent MACs count the gate matmuls per step and sample") {
  auto run = runShape("LSTM", {{"hidden_size", I(20)}}, {ty("[5, N, 10]")});
  const OpDef* op = catalogue().find("LSTM");
  CHECK(op->macFn()(run.attrs, {ty("[5, N, 10]")}, run.outputs) == 5 * 80 * (10 + 20));
}

TEST_CASE("recurrent sizes beyond 64 bits saturate instead of wrapping around") {
  // 4 gates x 2^62 wrapped to 0: the weights looked empty and the model valid.
  auto run = runShape("LSTM", {{"hidden_size", I(int64_t(1) << 62)}, {"num_layers", I(2)}},
                      {ty("[5, N, 8]")});
  REQUIRE(run.params.size() == 8);
  CHECK(run.params[0].shape == std::vector<int64_t>{INT64_MAX, 8});
  CHECK(run.params[4].shape == std::vector<int64_t>{INT64_MAX, int64_t(1) << 62});
  const OpDef* op = catalogue().find("LSTM");
  CHECK(op->macFn()(run.attrs, {ty("[5, N, 8]")}, run.outputs) == INT64_MAX);
}

TEST_CASE("a two-layer batch-first LSTM has PyTorch's parameter count") {
  auto run =
      runShape("LSTM", {{"hidden_size", I(128)}, {"num_layers", I(2)}, {"batch_first", B(true)}},
               {ty("[N, 12, 64]")});
  CHECK(run.result() == "[N, 12, 128] [2, N, 128] [2, N, 128]");
  CHECK(run.parameterCount() ==
        231424);  // sum(p.numel() for p in nn.LSTM(64, 128, 2).parameters())
}
