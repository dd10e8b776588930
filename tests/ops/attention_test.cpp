#include <doctest/doctest.h>

#include <cmath>

#include "op_testing.h"

using namespace sketch;
using namespace sketch::testing;

namespace {

std::vector<std::string> paramNames(const ShapeRun& run) {
  std::vector<std::string> names;
  for (const ParamSpec& p : run.params) names.push_back(p.name);
  return names;
}

}  // namespace

TEST_CASE("MultiheadAttention gives the output and head-averaged weights") {
  Attrs heads{{"num_heads", I(2)}};
  checkShapes({
      {"MultiheadAttention", heads, {"[L, N, 8]"}, "[L, N, 8] [N, L, L]"},
      {"MultiheadAttention", heads, {"[L, N, 8]", "unlinked", "unlinked"}, "[L, N, 8] [N, L, L]"},
      {"MultiheadAttention", heads, {"[L, N, 8]", "[S, N, 8]", "[S, N, 8]"}, "[L, N, 8] [N, L, S]"},
      {"MultiheadAttention",
       {{"num_heads", I(2)}, {"batch_first", B(true)}},
       {"[N, L, 8]", "[N, S, 8]", "[N, S, 8]"},
       "[N, L, 8] [N, L, S]"},
      {"MultiheadAttention", heads, {"[4, 8]"}, "[4, 8] [4, 4]"},
      {"MultiheadAttention",
       {{"num_heads", I(2)}, {"kdim", I(6)}, {"vdim", I(5)}},
       {"[L, N, 8]", "[S, N, 6]", "[S, N, 5]"},
       "[L, N, 8] [N, L, S]"},
      {"MultiheadAttention",
       {{"num_heads", I(2)}, {"add_bias_kv", B(true)}, {"add_zero_attn", B(true)}},
       {"[L, N, 8]", "[6, N, 8]", "[6, N, 8]"},
       "[L, N, 8] [N, L, 8]"},
      {"MultiheadAttention",
       {{"num_heads", I(2)}, {"add_zero_attn", B(true)}},
       {"[L, N, 8]"},
       "[L, N, 8] [N, L, L+1]"},
  });
}

TEST_CASE("MultiheadAttention reports mismatched heads, keys and values") {
  Attrs heads{{"num_heads", I(2)}};
  checkShapes({
      {"MultiheadAttention",
       {{"num_heads", I(3)}},
       {"[L, N, 8]"},
       "MultiheadAttention 'node' needs embed_dim (8) divisible by num_heads (3)"},
      {"MultiheadAttention",
       {{"embed_dim", I(16)}, {"num_heads", I(2)}},
       {"[L, N, 8]"},
       "MultiheadAttention 'node' expects 16 features, but 'a' gives [L, N, 8]"},
      {"MultiheadAttention",
       heads,
       {"[L, N, 8]", "[S, N, 6]", "[S, N, 6]"},
       "MultiheadAttention 'node' expects key with 8 features (kdim), but 'b' gives [S, N, 6]"},
      {"MultiheadAttention",
       heads,
       {"[L, N, 8]", "[S, M, 8]", "[S, M, 8]"},
       "MultiheadAttention 'node' expects key with the batch size of query ('a' gives [L, N, 8]), "
       "but 'b' gives [S, M, 8]"},
      {"MultiheadAttention",
       heads,
       {"[L, N, 8]", "[S, N, 8]", "[T, N, 8]"},
       "MultiheadAttention 'node' expects key and value of one sequence length, but 'b' gives "
       "[S, N, 8] and 'c' gives [T, N, 8]"},
      {"MultiheadAttention",
       heads,
       {"[L, N, 8]", "[S, 8]", "[S, 8]"},
       "MultiheadAttention 'node' expects key with 3 dims like query ('a' gives [L, N, 8]), but "
       "'b' gives [S, 8]"},
      {"MultiheadAttention",
       heads,
       {"[L, N, 8]", "[S, N, 8]", "unlinked"},
       "MultiheadAttention 'node' takes key and value together"},
      {"MultiheadAttention",
       heads,
       {"[8]"},
       "MultiheadAttention 'node' expects a 2-D or 3-D input, but 'a' gives [8]"},
  });
}

TEST_CASE("MultiheadAttention parameters match PyTorch's state_dict") {
  auto packed = runShape("MultiheadAttention", {{"num_heads", I(2)}, {"add_bias_kv", B(true)}},
                         {ty("[L, N, 8]")});
  CHECK(paramNames(packed) == std::vector<std::string>{"in_proj_weight", "in_proj_bias", "bias_k",
                                                       "bias_v", "out_proj.weight",
                                                       "out_proj.bias"});
  CHECK(packed.params[0].shape == std::vector<int64_t>{24, 8});
  CHECK(packed.params[0].init.value == doctest::Approx(std::sqrt(6.0 / 32)));
  CHECK(packed.params[1].init.kind == Init::Kind::Fill);
  CHECK(packed.params[2].shape == std::vector<int64_t>{1, 1, 8});
  CHECK(packed.params[2].init.kind == Init::Kind::Normal);

  auto separate =
      runShape("MultiheadAttention",
               {{"num_heads", I(2)}, {"kdim", I(6)}, {"vdim", I(5)}, {"bias", B(false)}},
               {ty("[L, N, 8]"), ty("[S, N, 6]"), ty("[S, N, 5]")});
  CHECK(paramNames(separate) == std::vector<std::string>{"q_proj_weight", "k_proj_weight",
                                                         "v_proj_weight", "out_proj.weight"});
  CHECK(separate.params[1].shape == std::vector<int64_t>{8, 6});
  CHECK(separate.params[2].shape == std::vector<int64_t>{8, 5});
}

TEST_CASE("Transformer layers keep the sequence shape") {
  checkShapes({
      {"TransformerEncoderLayer", {{"nhead", I(4)}}, {"[S, N, 16]"}, "[S, N, 16]"},
      {"TransformerEncoderLayer",
       {{"nhead", I(4)}, {"batch_first", B(true)}},
       {"[N, S, 16]"},
       "[N, S, 16]"},
      {"TransformerEncoderLayer",
       {{"nhead", I(3)}},
       {"[S, N, 16]"},
       "TransformerEncoderLayer 'node' needs d_model (16) divisible by nhead (3)"},
      {"TransformerEncoderLayer",
       {{"nhead", I(4)}, {"dim_feedforward", I(0)}},
       {"[S, 16]"},
       "TransformerEncoderLayer 'node' needs dim_feedforward > 0, but got 0"},
      {"TransformerDecoderLayer", {{"nhead", I(4)}}, {"[T, N, 16]", "[S, N, 16]"}, "[T, N, 16]"},
      {"TransformerDecoderLayer", {{"nhead", I(4)}}, {"[T, 16]", "[S, 16]"}, "[T, 16]"},
      {"TransformerDecoderLayer",
       {{"nhead", I(4)}},
       {"[T, N, 16]", "[S, N, 8]"},
       "TransformerDecoderLayer 'node' expects memory with 16 features (d_model), but 'b' gives "
       "[S, N, 8]"},
      {"TransformerDecoderLayer",
       {{"nhead", I(4)}, {"batch_first", B(true)}},
       {"[N, T, 16]", "[M, S, 16]"},
       "TransformerDecoderLayer 'node' expects memory with the batch size of tgt ('a' gives "
       "[N, T, 16]), but 'b' gives [M, S, 16]"},
  });
}

TEST_CASE("Transformer layer parameters use PyTorch's module prefixes") {
  auto encoder = runShape("TransformerEncoderLayer", {{"nhead", I(4)}, {"dim_feedforward", I(64)}},
                          {ty("[S, N, 16]")});
  CHECK(paramNames(encoder) ==
        std::vector<std::string>{"self_attn.in_proj_weight", "self_attn.in_proj_bias",
                                 "self_attn.out_proj.weight", "self_attn.out_proj.bias",
                                 "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
                                 "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"});
  CHECK(encoder.params[4].shape == std::vector<int64_t>{64, 16});
  CHECK(encoder.params[5].init.value == doctest::Approx(0.25));  // U(+-1/sqrt(16))
  CHECK(encoder.params[6].shape == std::vector<int64_t>{16, 64});

  auto decoder =
      runShape("TransformerDecoderLayer", {{"nhead", I(4)}}, {ty("[T, N, 16]"), ty("[S, N, 16]")});
  CHECK(decoder.params.size() == 18);
  CHECK(decoder.params[4].name == "multihead_attn.in_proj_weight");
  CHECK(decoder.params[8].shape == std::vector<int64_t>{2048, 16});
  CHECK(decoder.params.back().name == "norm3.bias");
}

TEST_CASE("attention MACs count projections, scores and weighted sums") {
  const OpDef* mha = catalogue().find("MultiheadAttention");
  auto run = runShape("MultiheadAttention", {{"num_heads", I(2)}},
                      {ty("[4, N, 8]"), ty("[6, N, 8]"), ty("[6, N, 8]")});
  // q and out projections 2*4*8*8, k and v 6*8*(8+8), scores and sum 2*4*6*8.
  CHECK(mha->macFn()(run.attrs, {}, run.outputs) == 512 + 768 + 384);
}

TEST_CASE("attention sizes beyond 64 bits saturate instead of wrapping around") {
  const int64_t huge = int64_t(1) << 62;
  const OpDef* mha = catalogue().find("MultiheadAttention");
  auto run = runShape("MultiheadAttention", {{"num_heads", I(1)}},
                      {ty("[4, N, 4611686018427387904]"), ty("[4, N, 4611686018427387904]"),
                       ty("[4, N, 4611686018427387904]")});
  CHECK(run.params[0].shape == std::vector<int64_t>{INT64_MAX, huge});  // in_proj_weight
  CHECK(mha->macFn()(run.attrs, {}, run.outputs) == INT64_MAX);
  const OpDef* layer = catalogue().find("TransformerEncoderLayer");
  auto encoder = runShape("TransformerEncoderLayer",
                          {{"nhead", I(1)}, {"dim_feedforward", I(huge)}}, {ty("[1000, N, 4096]")});
  CHECK(layer->macFn()(encoder.attrs, {ty("[1000, N, 4096]")}, encoder.outputs) == INT64_MAX);
}

TEST_CASE("a transformer encoder layer has PyTorch's parameter count") {
  auto run = runShape("TransformerEncoderLayer",
                      {{"nhead", I(4)}, {"dim_feedforward", I(128)}, {"batch_first", B(true)}},
                      {ty("[N, 10, 64]")});
  CHECK(run.result() == "[N, 10, 64]");
  // sum(p.numel() for p in nn.TransformerEncoderLayer(64, 4, 128).parameters())
  CHECK(run.parameterCount() == 33472);
}
