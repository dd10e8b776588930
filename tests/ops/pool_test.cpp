#include <doctest/doctest.h>

#include "layer_test_support.h"

namespace sketch {
namespace {

using testing::runOp;

using testing::CallShapeCase;

TEST_CASE("pooling output shapes") {
  const CallShapeCase cases[] = {
      {"MaxPool2d", "3, 2, 1", "[N, 64, 112, 112]", "[N, 64, 56, 56]"},
      {"MaxPool2d", "2", "[N, 3, 9, 10]", "[N, 3, 4, 5]"},
      {"MaxPool2d", "2", "[3, 9, 10]", "[3, 4, 5]"},
      {"MaxPool2d", "2, ceil_mode=true", "[1, 1, 5, 5]", "[1, 1, 3, 3]"},
      // ceil_mode's last window would start in the right padding, so it is dropped.
      {"MaxPool2d", "2, 2, 1, ceil_mode=true", "[1, 1, 5, 5]", "[1, 1, 3, 3]"},
      {"MaxPool2d", "3, 1, dilation=2", "[N, 3, 9, 10]", "[N, 3, 5, 6]"},
      {"MaxPool2d", "(3, 1), stride=(2, 1)", "[N, 3, 9, 10]", "[N, 3, 4, 10]"},
      {"MaxPool2d", "3, 1, 1", "[N, C, H, W]", "[N, C, H, W]"},
      {"MaxPool2d", "2", "[N, C, H, 8]", "[N, C, (H-2)//2+1, 4]"},
      {"MaxPool2d", "3, 1, ceil_mode=true", "[N, C, H, W]", "[N, C, H-2, W-2]"},
      {"MaxPool2d", "2, 2, 1, ceil_mode=true", "[N, C, H, 5]",
       "[N, C, ceil_pool(H, k=2, s=2, p=1, d=1), 3]"},
      {"MaxPool1d", "3, 2", "[N, 3, 11]", "[N, 3, 5]"},
      {"MaxPool3d", "2", "[N, 2, 6, 7, 8]", "[N, 2, 3, 3, 4]"},
      {"AvgPool2d", "3, 2, 1, ceil_mode=true", "[1, 1, 6, 6]", "[1, 1, 4, 4]"},
      {"AvgPool2d", "2, divisor_override=3", "[N, 3, 8, 8]", "[N, 3, 4, 4]"},
      {"AvgPool1d", "4, 1, 2", "[N, 3, 11]", "[N, 3, 12]"},
      {"AvgPool3d", "2", "[2, 6, 7, 8]", "[2, 3, 3, 4]"},
      {"AdaptiveAvgPool2d", "1", "[N, 512, 7, 7]", "[N, 512, 1, 1]"},
      {"AdaptiveAvgPool2d", "(none, 3)", "[N, C, H, W]", "[N, C, H, 3]"},
      {"AdaptiveAvgPool2d", "(2, 3)", "[C, H, W]", "[C, 2, 3]"},
      {"AdaptiveAvgPool1d", "4", "[N, 3, L]", "[N, 3, 4]"},
      {"AdaptiveAvgPool3d", "(none, 2, none)", "[N, 2, 6, 7, 8]", "[N, 2, 6, 2, 8]"},
      {"AdaptiveMaxPool2d", "7", "[N, 3, 9, 10]", "[N, 3, 7, 7]"},
  };
  for (const CallShapeCase& c : cases) {
    std::string call = testing::describeCall(c);
    CAPTURE(call);
    testing::OpRun run = testing::checkCallShape(c);
    CHECK(run.outputs.size() == 1);
    CHECK(run.macs == 0);
  }
}

TEST_CASE("max pools output indices only with return_indices") {
  testing::OpRun run = runOp("MaxPool2d", "3, 2, 1, return_indices=true", {"[N, 3, 9, 10]"});
  REQUIRE(run.outputs.size() == 2);
  CHECK(run.outputs[1].toString() == "int64[N, 3, 5, 5]");
  testing::OpRun adaptive = runOp("AdaptiveMaxPool1d", "4, true", {"[N, 3, 11]"});
  REQUIRE(adaptive.outputs.size() == 2);
  CHECK(adaptive.outputs[1].toString() == "int64[N, 3, 4]");
  CHECK(catalogue().find("MaxPool2d")->outputIndex("indices") == 1);
}

TEST_CASE("pooling errors follow PyTorch's checks") {
  struct Case {
    const char* op;
    const char* args;
    const char* input;
    const char* message;
  };
  const Case cases[] = {
      {"MaxPool2d", "3, padding=2", "[N, 3, 9, 10]",
       "MaxPool2d 'layer' has padding (2, 2), more than half of kernel_size (3, 3)"},
      {"MaxPool2d", "5", "[N, 3, 4, 10]",
       "MaxPool2d 'layer' has a kernel of size 5 in dim 2, larger than the padded input size 4: "
       "'x' gives [N, 3, 4, 10]"},
      {"MaxPool2d", "2", "[9, 10]",
       "MaxPool2d 'layer' expects a 3-D or 4-D input, but 'x' gives [9, 10]"},
      {"MaxPool2d", "3, stride=0", "[N, 3, 9, 10]",
       "MaxPool2d 'layer' has non-positive stride (0, 0)"},
      {"AvgPool2d", "2, divisor_override=0", "[N, 3, 9, 10]",
       "AvgPool2d 'layer' has divisor_override 0"},
      {"AvgPool1d", "3, padding=-1", "[N, 3, 9]", "AvgPool1d 'layer' has negative padding -1"},
      {"AdaptiveAvgPool2d", "(1, 2, 3)", "[N, 3, 9, 10]",
       "'output_size' of AdaptiveAvgPool2d expects an int or tuple of 2 ints or nones, found tuple "
       "(1, "
       "2, 3)"},
      {"AdaptiveAvgPool1d", "'x'", "[N, 3, 9]",
       "'output_size' of AdaptiveAvgPool1d expects an int, found string \"x\""},
  };
  for (const Case& c : cases) {
    std::string call = std::string(c.op) + "(" + c.args + ") on " + c.input;
    CAPTURE(call);
    CHECK(runOp(c.op, c.args, {c.input}).issue() == c.message);
  }
}

}  // namespace
}  // namespace sketch
