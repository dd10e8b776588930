#include <doctest/doctest.h>

#include "op_testing.h"

using namespace sketch;
using namespace sketch::testing;

TEST_CASE("Concat joins along dim and names the mismatching input") {
  checkShapes({
      {"Concat", {}, {"[2, 3]", "[4, 3]"}, "[6, 3]"},
      {"Concat", {{"dim", I(1)}}, {"[N, 3, 8]", "[N, 5, 8]", "[N, 1, 8]"}, "[N, 9, 8]"},
      {"Concat", {}, {"[N, 3]", "[N, 3]"}, "[2*N, 3]"},
      {"Concat", {{"dim", I(-1)}}, {"[N, 4]"}, "[N, 4]"},
      {"Concat",
       {{"dim", I(1)}},
       {"[N, 3, 8]", "[N, 5, 9]"},
       "Concat 'node' expects input 1 to match input 0 in dim 2 (all dims but dim 1 must match), "
       "but 'a' gives [N, 3, 8] and 'b' gives [N, 5, 9]"},
      {"Concat",
       {},
       {"[2, 3]", "[2, 3]", "[2]"},
       "Concat 'node' expects input 2 to have 2 dims like input 0 ('a' gives [2, 3]), but 'c' "
       "gives [2]"},
      {"Concat",
       {{"dim", I(2)}},
       {"[2, 3]", "[2, 3]"},
       "Concat 'node' has dim 2, out of range for a 2-D input: 'a' gives [2, 3]"},
      {"Concat", {}, {}, "Concat 'node' needs at least one input"},
      {"Concat", {}, {"[]"}, "Concat 'node' cannot join 0-d tensors: 'a' gives []"},
  });
}

TEST_CASE("Concat promotes dtypes like torch.cat") {
  Attrs none;
  auto run = runShape("Concat", none, {ty("int64[2]"), ty("float32[3]")});
  CHECK(run.outputs[0].toString() == "float32[5]");
}

TEST_CASE("Split and Chunk decide their output count") {
  checkShapes({
      {"Split", {{"split_size_or_sections", I(2)}}, {"[5, N]"}, "[2, N] [2, N] [1, N]"},
      {"Split",
       {{"split_size_or_sections", Ints({1, 2})}, {"dim", I(1)}},
       {"[N, 3]"},
       "[N, 1] [N, 2]"},
      {"Split", {{"split_size_or_sections", I(7)}}, {"[5]"}, "[5]"},
      {"Split", {{"split_size_or_sections", I(3)}}, {"[0, 4]"}, "[0, 4]"},
      {"Split",
       {{"split_size_or_sections", I(2)}},
       {"[N, 4]"},
       "Split 'node' cannot split symbolic dim 0 into a known number of outputs: 'a' gives [N, 4]"},
      {"Split",
       {{"split_size_or_sections", Ints({1, 1})}, {"dim", I(1)}},
       {"[5, 3]"},
       "Split 'node' sections (1, 1) sum to 2, but dim 1 has size 3: 'a' gives [5, 3]"},
      {"Split",
       {{"split_size_or_sections", I(0)}},
       {"[5]"},
       "Split 'node' needs a positive split size, but got 0"},
      {"Split",
       {{"split_size_or_sections", Ints({2, -1})}},
       {"[1]"},
       "Split 'node' needs non-negative sections, but got (2, -1)"},
      {"Split",
       {{"split_size_or_sections", F(1.5)}},
       {"[4]"},
       "Split 'node' expects split_size_or_sections to be an int or a tuple of ints, but got 1.5"},
      {"Split",
       {{"split_size_or_sections", I(1)}},
       {"[]"},
       "Split 'node' expects an input with at least 1 dims, but 'a' gives []"},
      {"Chunk", {{"chunks", I(2)}}, {"[6, N]"}, "[3, N] [3, N]"},
      // ceil(5 / 4) = 2 per piece, so only three pieces: PyTorch's rule.
      {"Chunk", {{"chunks", I(4)}}, {"[5]"}, "[2] [2] [1]"},
      {"Chunk", {{"chunks", I(3)}, {"dim", I(-1)}}, {"[N, 7]"}, "[N, 3] [N, 3] [N, 1]"},
      {"Chunk", {{"chunks", I(3)}}, {"[0, 2]"}, "[0, 2] [0, 2] [0, 2]"},
      {"Chunk", {{"chunks", I(0)}}, {"[6]"}, "Chunk 'node' needs chunks > 0, but got 0"},
  });
}

TEST_CASE("Reshape infers -1, also from symbolic element counts") {
  checkShapes({
      {"Reshape", {{"shape", Ints({-1, 512})}}, {"[N, 512, 1, 1]"}, "[N, 512]"},
      {"Reshape", {{"shape", Ints({6, 4})}}, {"[2, 3, 4]"}, "[6, 4]"},
      {"Reshape", {{"shape", Ints({2, -1, 2})}}, {"[2, 3, 4]"}, "[2, 6, 2]"},
      {"Reshape", {{"shape", Ints({-1, 64})}}, {"[N, L, 64]"}, "[N*L, 64]"},
      {"Reshape", {{"shape", Ints({-1, 3})}}, {"[N, 2]"}, "[2*N//3, 3]"},
      {"Reshape", {{"shape", Ints({})}}, {"[1, 1]"}, "[]"},
      {"Reshape",
       {{"shape", Ints({5, 5})}},
       {"[2, 3, 4]"},
       "Reshape 'node' cannot reshape 24 elements into (5, 5) (25 elements): 'a' gives [2, 3, 4]"},
      {"Reshape",
       {{"shape", Ints({-1, 5})}},
       {"[2, 3, 4]"},
       "Reshape 'node' cannot reshape 24 elements into (-1, 5) (a multiple of 5 elements): 'a' "
       "gives [2, 3, 4]"},
      {"Reshape",
       {{"shape", Ints({2, 8})}},
       {"[N, 4]"},
       "Reshape 'node' cannot reshape 4*N elements into (2, 8) (16 elements): 'a' gives [N, 4]"},
      {"Reshape",
       {{"shape", Ints({-1, -1})}},
       {"[4]"},
       "Reshape 'node' can infer only one dim, but shape (-1, -1) has two -1"},
      {"Reshape",
       {{"shape", Ints({-2, 2})}},
       {"[4]"},
       "Reshape 'node' got invalid size -2 in shape (-2, 2)"},
      {"Reshape",
       {{"shape", Ints({-1, 0})}},
       {"[0, 3]"},
       "Reshape 'node' cannot infer the -1 in (-1, 0): the other sizes multiply to 0"},
  });
}

TEST_CASE("Permute, Transpose, Squeeze and Unsqueeze move dims") {
  checkShapes({
      {"Permute", {{"dims", Ints({0, 2, 3, 1})}}, {"[N, C, H, W]"}, "[N, H, W, C]"},
      {"Permute", {{"dims", Ints({-1, 0})}}, {"[N, 3]"}, "[3, N]"},
      {"Permute",
       {{"dims", Ints({0, 1})}},
       {"[2, 3, 4]"},
       "Permute 'node' expects 3 dims in dims, but got (0, 1) for 'a' gives [2, 3, 4]"},
      {"Permute",
       {{"dims", Ints({0, 0, 1})}},
       {"[2, 3, 4]"},
       "Permute 'node' got dim 0 twice in (0, 0, 1)"},
      {"Permute",
       {{"dims", Ints({0, 3, 1})}},
       {"[2, 3, 4]"},
       "Permute 'node' has dims 3, out of range for a 3-D input: 'a' gives [2, 3, 4]"},
      {"Transpose", {{"dim0", I(1)}, {"dim1", I(-1)}}, {"[N, L, 8]"}, "[N, 8, L]"},
      {"Transpose",
       {{"dim0", I(0)}, {"dim1", I(3)}},
       {"[2, 3, 4]"},
       "Transpose 'node' has dim1 3, out of range for a 3-D input: 'a' gives [2, 3, 4]"},
      {"Squeeze", {}, {"[N, 1, 3, 1]"}, "[N, 3]"},
      {"Squeeze", {{"dim", I(1)}}, {"[N, 1, 3, 1]"}, "[N, 3, 1]"},
      {"Squeeze", {{"dim", I(2)}}, {"[N, 1, 3, 1]"}, "[N, 1, 3, 1]"},
      {"Squeeze",
       {{"dim", I(4)}},
       {"[N, 1, 3, 1]"},
       "Squeeze 'node' has dim 4, out of range for a 4-D input: 'a' gives [N, 1, 3, 1]"},
      {"Unsqueeze", {{"dim", I(0)}}, {"[N, 3]"}, "[1, N, 3]"},
      {"Unsqueeze", {{"dim", I(-1)}}, {"[N, 3]"}, "[N, 3, 1]"},
      {"Unsqueeze", {{"dim", I(2)}}, {"[N, 3]"}, "[N, 3, 1]"},
      {"Unsqueeze", {{"dim", I(0)}}, {"[]"}, "[1]"},
      {"Unsqueeze",
       {{"dim", I(3)}},
       {"[N, 3]"},
       "Unsqueeze 'node' has dim 3, out of range for a 2-D input: 'a' gives [N, 3]"},
  });
}

TEST_CASE("dim attributes report the valid range as help") {
  auto run = runShape("Unsqueeze", {{"dim", I(3)}}, {ty("[N, 3]")});
  CHECK(run.helps == std::vector<std::string>{"use a dim in [-3, 2]"});
  run = runShape("Transpose", {{"dim0", I(0)}, {"dim1", I(-4)}}, {ty("[N, 3, 4]")});
  CHECK(run.helps == std::vector<std::string>{"use a dim in [-3, 2]"});
  run = runShape("Chunk", {{"chunks", I(2)}}, {ty("[N, 4]")});
  CHECK(run.helps == std::vector<std::string>{"split a dim of known size"});
}

TEST_CASE("Slice follows Python slicing and keeps symbolic dims symbolic") {
  checkShapes({
      {"Slice", {{"dim", I(1)}, {"start", I(0)}, {"end", I(3)}}, {"[N, 10]"}, "[N, 3]"},
      {"Slice", {{"dim", I(1)}, {"end", I(-2)}}, {"[N, 10]"}, "[N, 8]"},
      {"Slice",
       {{"dim", I(1)}, {"start", I(1)}, {"end", I(9)}, {"step", I(3)}},
       {"[2, 10]"},
       "[2, 3]"},
      {"Slice", {{"dim", I(1)}, {"start", I(12)}}, {"[2, 10]"}, "[2, 0]"},
      {"Slice", {{"dim", I(1)}, {"start", I(5)}, {"end", I(2)}}, {"[2, 10]"}, "[2, 0]"},
      {"Slice", {{"dim", I(0)}, {"start", I(-20)}, {"end", I(20)}}, {"[2, 10]"}, "[2, 10]"},
      {"Slice", {{"dim", I(0)}}, {"[N, 10]"}, "[N, 10]"},
      {"Slice", {{"dim", I(0)}, {"step", I(2)}}, {"[N, 10]"}, "[(N+1)//2, 10]"},
      {"Slice", {{"dim", I(0)}, {"start", I(1)}}, {"[L, 10]"}, "[L-1, 10]"},
      {"Slice", {{"dim", I(0)}, {"start", I(-3)}}, {"[L, 10]"}, "[3, 10]"},
      {"Slice", {{"dim", I(0)}, {"end", I(4)}}, {"[L, 10]"}, "[4, 10]"},
      {"Slice",
       {{"dim", I(1)}, {"step", I(0)}},
       {"[2, 10]"},
       "Slice 'node' needs step > 0, but got 0"},
      {"Slice",
       {{"dim", I(0)}},
       {"[]"},
       "Slice 'node' expects an input with at least 1 dims, but 'a' gives []"},
      {"Select", {{"dim", I(1)}, {"index", I(0)}}, {"[N, 3, 4]"}, "[N, 4]"},
      {"Select", {{"dim", I(0)}, {"index", I(-1)}}, {"[N, 3]"}, "[3]"},
      {"Select",
       {{"dim", I(1)}, {"index", I(3)}},
       {"[N, 3, 4]"},
       "Select 'node' got index 3, out of range for dim 1 of size 3: 'a' gives [N, 3, 4]"},
      {"Select",
       {{"dim", I(1)}, {"index", I(-4)}},
       {"[N, 3, 4]"},
       "Select 'node' got index -4, out of range for dim 1 of size 3: 'a' gives [N, 3, 4]"},
  });
}

TEST_CASE("Mean, Sum and Max reduce dims") {
  checkShapes({
      {"Mean", {}, {"[N, 3, 4]"}, "[]"},
      {"Mean", {{"dim", I(1)}}, {"[N, 3, 4]"}, "[N, 4]"},
      {"Mean", {{"dim", Ints({-1, -2})}, {"keepdim", B(true)}}, {"[N, C, H, W]"}, "[N, C, 1, 1]"},
      {"Mean", {{"keepdim", B(true)}}, {"[N, 3]"}, "[1, 1]"},
      {"Mean", {{"dim", Ints({1, 1})}}, {"[N, 3, 4]"}, "Mean 'node' got dim 1 twice in (1, 1)"},
      {"Mean",
       {{"dim", I(1)}},
       {"int64[2, 3]"},
       "Mean 'node' expects a floating-point input, but 'a' gives [2, 3] of type int64"},
      {"Mean",
       {{"dim", S("x")}},
       {"[2, 3]"},
       "Mean 'node' expects dim to be an int or a tuple of ints, but got \"x\""},
      {"Sum", {{"dim", Ints({})}}, {"[N, 3]"}, "[]"},
      {"Sum", {{"dim", I(0)}, {"keepdim", B(true)}}, {"[N, 3]"}, "[1, 3]"},
      {"Sum",
       {{"dim", I(5)}},
       {"[N, 3]"},
       "Sum 'node' has dim 5, out of range for a 2-D input: 'a' gives [N, 3]"},
      {"Max", {}, {"[N, 3]"}, "[]"},
      {"Max", {{"dim", I(1)}}, {"[N, 3, 4]"}, "[N, 4] [N, 4]"},
      {"Max", {{"dim", I(-1)}, {"keepdim", B(true)}}, {"[N, 3]"}, "[N, 1] [N, 1]"},
      {"Max",
       {{"keepdim", B(true)}},
       {"[N, 3]"},
       "Max 'node' takes keepdim only together with dim"},
      {"Max",
       {{"dim", I(0)}},
       {"[0, 3]"},
       "Max 'node' cannot reduce dim 0 of size 0: 'a' gives [0, 3]"},
      {"Max", {}, {"[0, 3]"}, "Max 'node' cannot reduce an empty tensor: 'a' gives [0, 3]"},
  });
}

TEST_CASE("reductions pick PyTorch's result dtypes") {
  CHECK(runShape("Sum", {}, {ty("bool[4]")}).outputs[0].toString() == "int64[]");
  CHECK(runShape("Sum", {}, {ty("float64[4]")}).outputs[0].toString() == "float64[]");
  auto max = runShape("Max", {{"dim", I(0)}}, {ty("float32[4, 2]")});
  CHECK(max.outputs[1].toString() == "int64[2]");
  // Without dim torch.max returns only the maximum: no indices output.
  CHECK(runShape("Max", {}, {ty("float32[4, 2]")}).outputs.size() == 1);
}
