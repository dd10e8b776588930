#include <doctest/doctest.h>

#include "layer_test_support.h"

namespace sketch {
namespace {

using testing::runOp;

TEST_CASE("dropouts keep the shape and check p") {
  for (const char* op :
       {"Dropout", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"}) {
    CAPTURE(std::string(op));
    testing::OpRun run = runOp(op, "0.1, true", {"[N, 3, H, W]"});
    CHECK(run.output() == "[N, 3, H, W]");
    CHECK(run.params.empty());
    CHECK(runOp(op, "p=1", {"[N, 3]"}).issue() == "");
  }
  CHECK(runOp("Dropout", "1.5", {"[N, 3]"}).issue() ==
        "Dropout 'layer' has p 1.5, but a probability must be between 0 and 1");
  CHECK(runOp("Dropout", "p=-0.1", {"[N, 3]"}).issue() ==
        "Dropout 'layer' has p -0.1, but a probability must be between 0 and 1");
}

TEST_CASE("Dropout1d takes 2-D or 3-D inputs only") {
  CHECK(runOp("Dropout1d", "", {"[N, 3, L]"}).output() == "[N, 3, L]");
  CHECK(runOp("Dropout1d", "", {"[3, L]"}).output() == "[3, L]");
  CHECK(runOp("Dropout1d", "", {"[N, 3, 4, 5]"}).issue() ==
        "Dropout1d 'layer' expects a 2-D or 3-D input, but 'x' gives [N, 3, 4, 5]");
}

}  // namespace
}  // namespace sketch
