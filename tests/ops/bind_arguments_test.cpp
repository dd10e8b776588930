#include "ops/bind_arguments.h"

#include <doctest/doctest.h>

#include "layer_test_support.h"

namespace sketch {
namespace {

using testing::ArgumentText;

BindResult bind(const std::string& op, const std::string& args) {
  return bindArguments(*catalogue().find(op), ArgumentText(args).arguments());
}

TEST_CASE("bindArguments fills positional, keyword, default and inferred attributes") {
  BindResult r = bind("Conv2d", "3, 16, 3, padding=1, bias=false");
  REQUIRE(r.issues.empty());
  CHECK(r.attrs.at("in_channels") == Value::ofInt(3));
  CHECK(r.attrs.at("out_channels") == Value::ofInt(16));
  CHECK(r.attrs.at("kernel_size") == Value::ofInt(3));
  CHECK(r.attrs.at("padding") == Value::ofInt(1));
  CHECK(r.attrs.at("stride") == Value::ofInt(1));
  CHECK(r.attrs.at("bias") == Value::ofBool(false));
  CHECK(r.attrs.at("padding_mode") == Value::ofString("zeros"));

  BindResult inferred = bind("Conv2d", "out_channels=16, kernel_size=3");
  REQUIRE(inferred.issues.empty());
  CHECK(inferred.attrs.at("in_channels").isNone());
  CHECK(bind("Conv2d", "none, 16, 3").issues.empty());
  // torch.nn's pools store a stride of none as the kernel size.
  BindResult pool = bind("MaxPool2d", "2, stride=none");
  CHECK(pool.issues.empty());
  CHECK(pool.attrs.at("stride") == Value::ofInt(2));
  CHECK(bind("BatchNorm2d", "momentum=none").issues.empty());
}

TEST_CASE("bindArguments converts ints where floats are expected") {
  CHECK(bind("LeakyReLU", "1").attrs.at("negative_slope") == Value::ofFloat(1.0));
  CHECK(bind("Upsample", "scale_factor=2").attrs.at("scale_factor") == Value::ofFloat(2.0));
  CHECK(bind("Upsample", "scale_factor=(2, 1.5)").attrs.at("scale_factor") ==
        Value::ofList({Value::ofFloat(2.0), Value::ofFloat(1.5)}));
  CHECK(bind("LayerNorm", "8").attrs.at("normalized_shape") == Value::ofInt(8));
  CHECK(bind("Conv2d", "3, 16, (3, 1), padding='same'").issues.empty());
}

struct IssueCase {
  const char* op;
  const char* args;
  BindIssue::Kind kind;
  int argument;
  const char* message;
  const char* help;
};

TEST_CASE("bindArguments reports every problem with its argument") {
  using K = BindIssue::Kind;
  const IssueCase cases[] = {
      {"Conv2d", "3, 16, 3, kernal_size=3", K::UnknownAttribute, 3,
       "Conv2d has no attribute 'kernal_size'", "did you mean 'kernel_size'?"},
      {"Flatten", "dims=1", K::UnknownAttribute, 0, "Flatten has no attribute 'dims'",
       "its arguments are 'start_dim' and 'end_dim'"},
      {"Sigmoid", "inplace=true", K::UnknownAttribute, 0, "Sigmoid has no attribute 'inplace'",
       "Sigmoid takes no arguments"},
      {"Conv2d", "3, 16, 3, stride=1, stride=2", K::DuplicateAttribute, 4,
       "'stride' of Conv2d is given more than once", "remove one of the values"},
      {"Conv2d", "3, 16, 3, out_channels=8", K::DuplicateAttribute, 3,
       "'out_channels' of Conv2d is given more than once", "remove one of the values"},
      {"ReLU", "true, 1", K::TooManyArguments, 1, "ReLU takes 1 argument, but 2 were given",
       "its arguments are 'inplace'"},
      {"Sigmoid", "1", K::TooManyArguments, 0, "Sigmoid takes no arguments, but 1 was given",
       "remove the arguments"},
      {"Flatten", "0, 1, 2, 3", K::TooManyArguments, 2,
       "Flatten takes 2 arguments, but 4 were given",
       "its arguments are 'start_dim' and 'end_dim'"},
      {"Conv2d", "3, 16, kernel=3", K::UnknownAttribute, 2, "Conv2d has no attribute 'kernel'",
       "did you mean 'kernel_size'?"},
      {"Conv2d", "3, 16", K::MissingAttribute, -1, "Conv2d requires 'kernel_size'",
       "pass it as argument 3 or as kernel_size=..."},
      {"Conv2d", "3, 16, 3, stride=\"2\"", K::AttributeType, 3,
       "'stride' of Conv2d expects an int or tuple of 2 ints, found string \"2\"", ""},
      {"Conv2d", "3, 16, (3, 3, 3)", K::AttributeType, 2,
       "'kernel_size' of Conv2d expects an int or tuple of 2 ints, found tuple (3, 3, 3)", ""},
      {"Conv2d", "3, none, 3", K::AttributeType, 1,
       "'out_channels' of Conv2d expects an int, found none", ""},
      {"MaxPool2d", "2, stride=1.5", K::AttributeType, 1,
       "'stride' of MaxPool2d expects an int, tuple of 2 ints or none, found float 1.5", ""},
      {"Linear", "10, 5, bias=1", K::AttributeType, 2,
       "'bias' of Linear expects a bool, found int 1", ""},
      {"LeakyReLU", "'0.1'", K::AttributeType, 0,
       "'negative_slope' of LeakyReLU expects a float, found string \"0.1\"", ""},
      {"LayerNorm", "(8, 'x')", K::AttributeType, 0,
       "'normalized_shape' of LayerNorm expects an int, tuple of ints or none, found tuple (8, "
       "\"x\")",
       ""},
      {"Upsample", "scale_factor='2'", K::AttributeType, 0,
       "'scale_factor' of Upsample expects a float, tuple of floats or none, found string \"2\"",
       ""},
      {"GELU", "approximate='tanhh'", K::AttributeValue, 0,
       "'approximate' of GELU must be 'none' or 'tanh', found \"tanhh\"", "did you mean 'tanh'?"},
      {"Conv2d", "3, 16, 3, padding='sam'", K::AttributeValue, 3,
       "'padding' of Conv2d must be 'valid' or 'same', found \"sam\"", "did you mean 'same'?"},
      {"Conv2d", "3, 16, 3, padding_mode='mirror'", K::AttributeValue, 3,
       "'padding_mode' of Conv2d must be 'zeros', 'reflect', 'replicate' or 'circular', found "
       "\"mirror\"",
       ""},
  };
  for (const IssueCase& c : cases) {
    std::string call = std::string(c.op) + "(" + c.args + ")";
    CAPTURE(call);
    BindResult r = bind(c.op, c.args);
    CHECK(r.issues.size() == 1);
    if (r.issues.empty()) continue;
    CHECK(r.issues[0].kind == c.kind);
    CHECK(r.issues[0].argument == c.argument);
    CHECK(r.issues[0].message == c.message);
    CHECK(r.issues[0].help == c.help);
  }
}

TEST_CASE("bindArguments reports all issues of a call, in argument order") {
  // kernel_size, which the misspelt keyword means, is not reported missing as well.
  BindResult r = bind("Conv2d", "3, stride='x', kernal_size=3");
  REQUIRE(r.issues.size() == 3);
  CHECK(r.issues[0].message ==
        "'stride' of Conv2d expects an int or tuple of 2 ints, found string \"x\"");
  CHECK(r.issues[1].message == "Conv2d has no attribute 'kernal_size'");
  CHECK(r.issues[2].message == "Conv2d requires 'out_channels'");
}

TEST_CASE("bindArguments moves legacy spellings to the canonical attributes") {
  BindResult hardtanh = bind("Hardtanh", "min_value=-2.0, max_val=3.0");
  REQUIRE(hardtanh.issues.empty());
  CHECK(hardtanh.attrs.at("min_val") == Value::ofFloat(-2.0));
  CHECK(hardtanh.attrs.at("max_val") == Value::ofFloat(3.0));
  CHECK(hardtanh.attrs.at("min_value").isNone());
  CHECK(hardtanh.attrs.at("max_value").isNone());

  struct Case {
    const char* op;
    const char* args;
    const char* reduction;
  };
  // torch.nn._reduction.legacy_get_string: a none flag counts as true.
  const Case cases[] = {{"MSELoss", "", "mean"},
                        {"MSELoss", "reduction='sum'", "sum"},
                        {"MSELoss", "size_average=false", "sum"},
                        {"MSELoss", "reduce=false, reduction='sum'", "none"},
                        {"L1Loss", "size_average=true, reduce=true, reduction='none'", "mean"},
                        {"NLLLoss", "reduce=false", "none"},
                        {"BCELoss", "size_average=false, reduce=true", "sum"}};
  for (const Case& c : cases) {
    CAPTURE(c.op);
    CAPTURE(c.args);
    BindResult r = bind(c.op, c.args);
    REQUIRE(r.issues.empty());
    CHECK(r.attrs.at("reduction") == Value::ofString(c.reduction));
    CHECK(r.attrs.at("size_average").isNone());
    CHECK(r.attrs.at("reduce").isNone());
  }
}

}  // namespace
}  // namespace sketch
