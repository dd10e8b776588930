#include <doctest/doctest.h>

#include "layer_test_support.h"

namespace sketch {
namespace {

using testing::runOp;

TEST_CASE("elementwise activations keep any shape") {
  const char* ops[] = {"ReLU",     "ReLU6",    "LeakyReLU", "ELU",         "SELU",
                       "CELU",     "GELU",     "SiLU",      "Mish",        "Sigmoid",
                       "Tanh",     "Hardtanh", "Hardswish", "Hardsigmoid", "Softplus",
                       "Softsign", "PReLU",    "Softmax",   "LogSoftmax", "Hardshrink",
                       "Softshrink"};
  for (const char* op : ops) {
    CAPTURE(std::string(op));
    for (const char* shape : {"[N, 3, H, W]", "[5]", "[]"}) {
      testing::OpRun run = runOp(op, "", {shape});
      CHECK(run.issue() == "");
      CHECK(run.output() == shape);
      CHECK(run.macs == 0);
    }
  }
  CHECK(runOp("ReLU", "inplace=true", {"[N, 4]"}).output() == "[N, 4]");
  CHECK(runOp("LeakyReLU", "0.2, true", {"[N, 4]"}).attrs.at("negative_slope") ==
        Value::ofFloat(0.2));
  CHECK(runOp("GELU", "approximate='tanh'", {"[N, 4]"}).output() == "[N, 4]");
}

TEST_CASE("Softmax without dim uses PyTorch's legacy choice") {
  struct Case {
    const char* input;
    int64_t dim;
  };
  const Case cases[] = {
      {"[]", 0}, {"[5]", 0}, {"[N, 5]", 1}, {"[N, 3, 5]", 0}, {"[N, 3, 4, 5]", 1}};
  for (const Case& c : cases) {
    CAPTURE(std::string(c.input));
    CHECK(runOp("Softmax", "", {c.input}).attrs.at("dim") == Value::ofInt(c.dim));
    CHECK(runOp("LogSoftmax", "", {c.input}).attrs.at("dim") == Value::ofInt(c.dim));
  }
  CHECK(runOp("Softmax", "-1", {"[]"}).issue() == "");
  testing::OpRun bad = runOp("Softmax", "dim=3", {"[N, 3, 5]"});
  CHECK(bad.issue() ==
        "Softmax 'layer' has dim 3, out of range for a 3-D input: 'x' gives [N, 3, 5]");
  CHECK(bad.help() == "use a dim in [-3, 2]");
}

TEST_CASE("PReLU has 1 or channel-count slopes") {
  testing::OpRun p = runOp("PReLU", "3, 0.1", {"[N, 3, 8, 8]"});
  REQUIRE(p.params.size() == 1);
  CHECK(testing::paramsText(p) == "weight float32[3]");
  CHECK(p.param("weight")->init.kind == Init::Kind::Fill);
  CHECK(p.param("weight")->init.value == doctest::Approx(0.1));
  CHECK(runOp("PReLU", "", {"[N, 3]"}).param("weight")->init.value == doctest::Approx(0.25));
  testing::OpRun bad = runOp("PReLU", "4", {"[N, 3, 8]"});
  CHECK(bad.issue() ==
        "PReLU 'layer' has 4 parameters, which must be 1 or the channel count, but 'x' gives [N, "
        "3, 8]");
  CHECK(bad.help() == "set num_parameters=1 or num_parameters=3");
}

TEST_CASE("Hardtanh needs max_val above min_val") {
  CHECK(runOp("Hardtanh", "0, 6", {"[N, 3]"}).issue() == "");
  CHECK(runOp("Hardtanh", "1.0, -1.0", {"[N, 3]"}).issue() ==
        "Hardtanh 'layer' needs max_val > min_val, found max_val -1.0 and min_val 1.0");
  CHECK(runOp("Hardtanh", "min_value=-2, max_value=-3", {"[N, 3]"}).issue() ==
        "Hardtanh 'layer' needs max_val > min_val, found max_val -3.0 and min_val -2.0");
}

}  // namespace
}  // namespace sketch
