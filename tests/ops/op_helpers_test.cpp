#include "ops/op_helpers.h"

#include <doctest/doctest.h>

#include "layer_test_support.h"

using namespace sketch;
using namespace sketch::testing;

TEST_CASE("promoteTypes follows torch.promote_types") {
  struct Case {
    DType a, b, expected;
  };
  const Case cases[] = {
      {DType::Float32, DType::Float32, DType::Float32},
      {DType::Int64, DType::Float16, DType::Float16},
      {DType::Bool, DType::Int8, DType::Int8},
      {DType::UInt8, DType::Int8, DType::Int16},
      {DType::Int32, DType::Int64, DType::Int64},
      {DType::BFloat16, DType::Float16, DType::Float32},
      {DType::Float64, DType::BFloat16, DType::Float64},
  };
  for (const Case& c : cases) {
    CAPTURE(dtypeName(c.a));
    CAPTURE(dtypeName(c.b));
    CHECK(promoteTypes(c.a, c.b) == c.expected);
    CHECK(promoteTypes(c.b, c.a) == c.expected);
  }
}

TEST_CASE("resolveDim wraps like PyTorch, 0-d tensors as if 1-D") {
  const OpDef& op = *catalogue().find("Transpose");
  Attrs attrs{{"dim0", I(0)}, {"dim1", I(0)}};
  ShapeContext ctx(op, "t", attrs, {ty("[N, 3]"), ty("[]")}, {"x", "s"});
  CHECK(resolveDim(ctx, "dim0", -1, 0, 2) == size_t{1});
  CHECK(resolveDim(ctx, "dim0", -1, 1, 0) == size_t{0});
  CHECK(resolveDim(ctx, "dim0", 0, 1, 0) == size_t{0});
  CHECK(ctx.ok());
  CHECK(!resolveDim(ctx, "dim1", 2, 0, 2));
  REQUIRE(ctx.issues().size() == 1);
  CHECK(ctx.issues()[0].attribute == "dim1");
  CHECK(ctx.issues()[0].message ==
        "Transpose 't' has dim1 2, out of range for a 2-D input: 'x' gives [N, 3]");
  CHECK(ctx.issues()[0].help == "use a dim in [-2, 1]");
}

TEST_CASE("elementsPerSample counts symbolic dims as 1") {
  CHECK(elementsPerSample(ty("[N, 3, 4]").dims) == 12);
  CHECK(elementsPerSample({}) == 1);
  CHECK(dimsString(ty("[N, 3]").dims) == "[N, 3]");
}

TEST_CASE("intsString spells one value alone, more as a tuple") {
  CHECK(intsString({3}) == "3");
  CHECK(intsString({-1, 4}) == "(-1, 4)");
  CHECK(intsString({}) == "()");
}

TEST_CASE("fanInUniform bounds by 1/sqrt(fan_in), 0 for an empty fan_in") {
  CHECK(fanInUniform(4).kind == Init::Kind::Uniform);
  CHECK(fanInUniform(4).value == doctest::Approx(0.5));
  CHECK(fanInUniform(0).value == 0.0);
}

TEST_CASE("floatingInputs: ops PyTorch computes only in floating point reject int64 and bool") {
  struct Case {
    const char* op;
    const char* args;
    const char* input;
    const char* issue;  // empty: accepted
  };
  const Case cases[] = {
      {"Conv2d", "3, 4, 1", "int64[N, 3, 8, 8]",
       "Conv2d 'layer' expects a floating-point input, but 'x' gives int64[N, 3, 8, 8]"},
      {"BatchNorm2d", "", "bool[N, 3, 8, 8]",
       "BatchNorm2d 'layer' expects a floating-point input, but 'x' gives bool[N, 3, 8, 8]"},
      {"LayerNorm", "", "int32[N, 8]",
       "LayerNorm 'layer' expects a floating-point input, but 'x' gives int32[N, 8]"},
      {"MaxPool2d", "2", "int64[N, 3, 8, 8]",
       "MaxPool2d 'layer' expects a floating-point input, but 'x' gives int64[N, 3, 8, 8]"},
      {"AdaptiveAvgPool2d", "1", "int64[N, 3, 8, 8]",
       "AdaptiveAvgPool2d 'layer' expects a floating-point input, but 'x' gives int64[N, 3, 8, 8]"},
      {"GELU", "", "int64[N, 8]", "GELU 'layer' expects a floating-point input, but 'x' gives int64[N, 8]"},
      {"Softmax", "dim=1", "int64[N, 8]",
       "Softmax 'layer' expects a floating-point input, but 'x' gives int64[N, 8]"},
      {"Conv2d", "3, 4, 1", "float16[N, 3, 8, 8]", ""},
      {"ReLU", "", "int64[N, 8]", ""},
      {"AvgPool2d", "2", "int64[N, 3, 8, 8]", ""},
      {"Sigmoid", "", "int64[N, 8]", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.op);
    CAPTURE(c.input);
    CHECK(runOp(c.op, c.args, {c.input}).issue() == c.issue);
  }
}
