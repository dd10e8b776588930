#include <doctest/doctest.h>

#include "op_testing.h"

using namespace sketch;
using namespace sketch::testing;

TEST_CASE("binary elementwise ops broadcast and name both producers") {
  for (const char* op : {"Add", "Sub", "Mul", "Div"}) {
    std::string name = op;
    checkShapes({
        {op, {}, {"[N, 3, 8]", "[N, 3, 8]"}, "[N, 3, 8]"},
        {op, {}, {"[N, 3, 8]", "[8]"}, "[N, 3, 8]"},
        {op, {}, {"[N, 1, 8]", "[5, 1]"}, "[N, 5, 8]"},
        {op, {}, {"[]", "[2, 3]"}, "[2, 3]"},
    });
    auto run = runShape(op, {}, {ty("[N, 64, 8, 8]"), ty("[N, 32, 8, 8]")});
    CHECK(run.result() == name +
                              " 'node' cannot broadcast its inputs: 'a' gives [N, 64, 8, 8] and "
                              "'b' gives [N, 32, 8, 8]");
  }
  // Different symbols cannot be proven equal.
  checkShapes({{"Add",
                {},
                {"[N, 3]", "[M, 3]"},
                "Add 'node' cannot broadcast its inputs: 'a' gives [N, 3] and 'b' gives [M, 3]"}});
}

TEST_CASE("elementwise result dtypes follow torch type promotion") {
  struct Case {
    const char* op;
    Attrs attrs;
    const char *a, *b, *expected;
  };
  const Case cases[] = {
      {"Add", {}, "int64[2]", "float32[2]", "float32[2]"},
      {"Add", {}, "int64[2]", "int32[2]", "int64[2]"},
      {"Mul", {}, "uint8[2]", "int8[2]", "int16[2]"},
      {"Mul", {}, "float16[2]", "bfloat16[2]", "float32[2]"},
      {"Sub", {}, "float64[2]", "float32[2]", "float64[2]"},
      {"Div", {}, "int64[2]", "int64[2]", "float32[2]"},
      {"Div", {{"rounding_mode", S("floor")}}, "int64[2]", "int64[2]", "int64[2]"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.expected);
    CHECK(runShape(c.op, c.attrs, {ty(c.a), ty(c.b)}).outputs[0].toString() == c.expected);
  }
}

TEST_CASE("unary ops, Pow and Clamp") {
  checkShapes({
      {"Sqrt", {}, {"[N, 3]"}, "[N, 3]"},
      {"Exp", {}, {"[]"}, "[]"},
      {"Pow", {{"exponent", F(2.0)}}, {"[N, 3]"}, "[N, 3]"},
      {"Pow",
       {{"exponent", I(-1)}},
       {"int64[2, 3]"},
       "Pow 'node' cannot raise integers to the negative power -1: 'a' gives [2, 3] of type int64"},
      {"Clamp", {{"min", F(0.0)}}, {"[N, 3]"}, "[N, 3]"},
      {"Clamp", {{"max", F(6.0)}}, {"[N]"}, "[N]"},
      {"Clamp", {}, {"[N, 3]"}, "Clamp 'node' needs min or max"},
  });
  for (const char* op : {"Sqrt", "Exp", "Log", "Erf"})
    CHECK(runShape(op, {}, {ty("int64[4]")}).outputs[0].toString() == "float32[4]");
  CHECK(runShape("Pow", {{"exponent", I(2)}}, {ty("int64[4]")}).outputs[0].toString() ==
        "int64[4]");
  CHECK(runShape("Pow", {{"exponent", F(0.5)}}, {ty("int64[4]")}).outputs[0].toString() ==
        "float32[4]");
}

TEST_CASE("Where broadcasts three ways") {
  checkShapes({
      {"Where", {}, {"bool[N, 3]", "[N, 3]", "[N, 3]"}, "[N, 3]"},
      {"Where", {}, {"bool[4, 2, 1]", "[1, 5]", "[2, 1]"}, "[4, 2, 5]"},
      {"Where", {}, {"uint8[3]", "[3]", "[]"}, "[3]"},
      {"Where",
       {},
       {"bool[2, 3]", "[2, 4]", "[2, 3]"},
       "Where 'node' cannot broadcast its inputs: 'a' gives [2, 3] and 'b' gives [2, 4]"},
      {"Where",
       {},
       {"bool[2, 3]", "[2, 3]", "[4, 3]"},
       "Where 'node' cannot broadcast its inputs: 'c' gives [4, 3], 'a' gives [2, 3] and 'b' "
       "gives [2, 3]"},
      {"Where",
       {},
       {"[2, 3]", "[2, 3]", "[2, 3]"},
       "Where 'node' expects a bool condition, but 'a' gives [2, 3] of type float32"},
  });
  CHECK(runShape("Where", {}, {ty("bool[2]"), ty("int64[2]"), ty("float32[2]")})
            .outputs[0]
            .toString() == "float32[2]");
}

TEST_CASE("MatMul follows torch.matmul") {
  checkShapes({
      {"MatMul", {}, {"[3]", "[3]"}, "[]"},
      {"MatMul", {}, {"[N, 3]", "[3, 4]"}, "[N, 4]"},
      {"MatMul", {}, {"[3]", "[3, 4]"}, "[4]"},
      {"MatMul", {}, {"[N, 3]", "[3]"}, "[N]"},
      {"MatMul", {}, {"[N, 2, 3]", "[3]"}, "[N, 2]"},
      {"MatMul", {}, {"[3]", "[N, 3, 4]"}, "[N, 4]"},
      {"MatMul", {}, {"[7, 1, 2, 3]", "[5, 3, 4]"}, "[7, 5, 2, 4]"},
      {"MatMul", {}, {"[N, H, L, D]", "[N, H, D, L]"}, "[N, H, L, L]"},
      {"MatMul",
       {},
       {"[2, 3]", "[4, 5]"},
       "MatMul 'node' needs the last dim of input to equal dim -2 of other, but 'a' gives "
       "[2, 3] and 'b' gives [4, 5]"},
      {"MatMul",
       {},
       {"[3]", "[4]"},
       "MatMul 'node' needs the last dim of input to equal the only dim of other, but 'a' gives "
       "[3] and 'b' gives [4]"},
      {"MatMul",
       {},
       {"[2, 2, 3]", "[3, 3, 4]"},
       "MatMul 'node' cannot broadcast the batch dims of its inputs: 'a' gives [2, 2, 3] and "
       "'b' gives [3, 3, 4]"},
      {"MatMul",
       {},
       {"[]", "[3]"},
       "MatMul 'node' expects inputs with at least 1 dim, but 'a' gives []"},
      {"MatMul",
       {},
       {"[2, 3]", "float64[3, 4]"},
       "MatMul 'node' expects both inputs of one type, but got float32 and float64"},
  });
}

TEST_CASE("MatMul counts one MAC per output element and reduced element") {
  const OpDef* op = catalogue().find("MatMul");
  CHECK(op->macFn()({}, {ty("[N, 2, 3]"), ty("[3, 4]")}, {ty("[N, 2, 4]")}) == 2 * 4 * 3);
}
