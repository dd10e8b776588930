#include <doctest/doctest.h>

#include <cmath>

#include "layer_test_support.h"

namespace sketch {
namespace {

using testing::paramsText;
using testing::runOp;

TEST_CASE("Linear maps the last dim and keeps the leading ones") {
  CHECK(runOp("Linear", "out_features=10", {"[N, 512]"}).output() == "[N, 10]");
  CHECK(runOp("Linear", "512, 10", {"[512]"}).output() == "[10]");
  CHECK(runOp("Linear", "64, 10", {"[N, L, 64]"}).output() == "[N, L, 10]");
  CHECK(runOp("Linear", "8, 4", {"float64[2, 8]"}).outputs[0].dtype == DType::Float64);
  CHECK(runOp("Linear", "8, 4", {"int64[2, 8]"}).issue() ==
        "Linear 'layer' expects a floating-point input, but 'x' gives int64[2, 8]");

  testing::OpRun bad = runOp("Linear", "256, 10", {"[N, 512]"});
  CHECK(bad.issue() == "Linear 'layer' expects 256 input features, but 'x' gives [N, 512]");
  CHECK(bad.help() == "set in_features=512, or leave it out to infer it");
  CHECK(runOp("Linear", "out_features=10", {"[]"}).issue() ==
        "Linear 'layer' expects an input with at least 1 dims, but 'x' gives []");
}

TEST_CASE("Linear parameters and MACs") {
  testing::OpRun fc = runOp("Linear", "out_features=1000", {"[N, 512]"});
  CHECK(paramsText(fc) == "weight float32[1000, 512]; bias float32[1000]");
  CHECK(fc.param("weight")->init.value == doctest::Approx(1 / std::sqrt(512.0)));
  CHECK(fc.macs == 512000);
  CHECK(paramsText(runOp("Linear", "4, 2, false", {"[4]"})) == "weight float32[2, 4]");
  CHECK(runOp("Linear", "64, 10", {"[N, 7, 64]"}).macs == 7 * 10 * 64);
}

TEST_CASE("Bilinear combines two inputs") {
  testing::OpRun b = runOp("Bilinear", "out_features=7", {"[N, 5]", "[N, 6]"});
  CHECK(b.issue() == "");
  CHECK(b.output() == "[N, 7]");
  CHECK(paramsText(b) == "weight float32[7, 5, 6]; bias float32[7]");
  CHECK(b.param("bias")->init.value == doctest::Approx(1 / std::sqrt(5.0)));
  CHECK(b.macs == 7 * 5 * 6);
  CHECK(runOp("Bilinear", "5, 6, 7", {"[4, 5]", "[3, 6]"}).issue() ==
        "Bilinear 'layer' needs inputs that agree in all but the last dim, but 'x' gives [4, 5] "
        "and 'y' gives [3, 6]");
  CHECK(runOp("Bilinear", "5, 6, 7", {"[4, 5]", "[4, 7]"}).issue() ==
        "Bilinear 'layer' expects 6 input2 features, but 'y' gives [4, 7]");
}

}  // namespace
}  // namespace sketch
