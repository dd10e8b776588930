#include <doctest/doctest.h>

#include "layer_test_support.h"

namespace sketch {
namespace {

using testing::runOp;

struct Case {
  const char* op;
  const char* args;
  const char* input;
  const char* expected;  // the output shape, or the issue when it starts with a letter
};

void checkCases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    std::string call = std::string(c.op) + "(" + c.args + ") on " + c.input;
    CAPTURE(call);
    testing::OpRun run = runOp(c.op, c.args, {c.input});
    CHECK((c.expected[0] == '[' ? run.output() : run.issue()) == c.expected);
  }
}

TEST_CASE("Flatten and Unflatten") {
  checkCases({
      {"Flatten", "", "[N, 3, 4, 4]", "[N, 48]"},
      {"Flatten", "", "[N, C, H, W]", "[N, C*H*W]"},
      {"Flatten", "1, 2", "[2, 3, 4, 5]", "[2, 12, 5]"},
      {"Flatten", "0", "[]", "[1]"},
      {"Flatten", "-3, -2", "[2, 3, 4, 5]", "[2, 12, 5]"},
      {"Flatten", "2, 1", "[2, 3, 4, 5]", "Flatten 'layer' has start_dim after end_dim"},
      {"Flatten", "", "[5]",
       "Flatten 'layer' has start_dim 1, out of range for a 1-D input: 'x' gives [5]"},
      {"Unflatten", "1, (2, 5)", "[N, 10]", "[N, 2, 5]"},
      {"Unflatten", "1, (2, -1)", "[N, 10]", "[N, 2, 5]"},
      {"Unflatten", "-1, (-1, 4)", "[N, L]", "[N, L//4, 4]"},
      {"Unflatten", "1, (3, 3)", "[N, 10]",
       "Unflatten 'layer' cannot split a dim of size 10 into (3, 3): 'x' gives [N, 10]"},
      {"Unflatten", "1, (-1, -1)", "[N, 10]",
       "Unflatten 'layer' has unflattened_size (-1, -1), but it needs sizes >= 0 and at most one "
       "-1"},
      {"Unflatten", "1, (0, -1)", "[N, 0]",
       "Unflatten 'layer' cannot split a dim of size 0 into (0, -1): 'x' gives [N, 0]"},
      {"Unflatten", "1, 10", "[N, 10]",
       "'unflattened_size' of Unflatten expects a tuple of ints, found int 10"},
      // torch.unflatten has no dim to split in a 0-d tensor, whatever dim says.
      {"Unflatten", "0, (1,)", "[]",
       "Unflatten 'layer' expects an input with at least 1 dims, but 'x' gives []"},
  });
}

TEST_CASE("Upsample by size or scale_factor") {
  checkCases({
      {"Upsample", "scale_factor=2", "[N, C, H, W]", "[N, C, 2*H, 2*W]"},
      {"Upsample", "scale_factor=1.5", "[N, C, 5, 7]", "[N, C, 7, 10]"},
      {"Upsample", "scale_factor=1.5", "[N, C, H]", "[N, C, floor(H*1.5)]"},
      {"Upsample", "scale_factor=(2, 3), mode='bilinear'", "[N, C, 4, 4]", "[N, C, 8, 12]"},
      {"Upsample", "(6, 8)", "[N, C, H, W]", "[N, C, 6, 8]"},
      {"Upsample", "5, mode='trilinear', align_corners=true", "[N, C, 2, 3, 4]", "[N, C, 5, 5, 5]"},
      {"Upsample", "", "[N, C, 4, 4]", "Upsample 'layer' needs size or scale_factor"},
      {"Upsample", "4, 2", "[N, C, 4, 4]",
       "Upsample 'layer' takes only one of size and scale_factor"},
      {"Upsample", "scale_factor=2, mode='bilinear'", "[N, C, 4]",
       "Upsample 'layer' with mode 'bilinear' needs a 4-D input, but 'x' gives [N, C, 4]"},
      {"Upsample", "scale_factor=2, align_corners=false", "[N, C, 4, 4]",
       "Upsample 'layer' cannot use align_corners with mode 'nearest'"},
      {"Upsample", "scale_factor=0.1", "[N, C, 5, 7]",
       "Upsample 'layer' computes an empty output (size 0) in dim 2: 'x' gives [N, C, 5, 7]"},
      {"Upsample", "(4, 4, 4)", "[N, C, 4, 4]",
       "Upsample 'layer' has size (4, 4, 4) for 2 spatial dims: 'x' gives [N, C, 4, 4]"},
  });
}

TEST_CASE("PixelShuffle and the constant paddings") {
  checkCases({
      {"PixelShuffle", "2", "[N, 8, H, W]", "[N, 2, 2*H, 2*W]"},
      {"PixelShuffle", "3", "[2, 1, 18, 2, 2]", "[2, 1, 2, 6, 6]"},
      {"PixelShuffle", "3", "[N, 8, 3, 3]",
       "PixelShuffle 'layer' needs channels divisible by upscale_factor^2 = 9, but 'x' gives [N, "
       "8, 3, 3]"},
      {"ZeroPad2d", "(1, 2, 3, 4)", "[N, C, H, W]", "[N, C, H+7, W+3]"},
      {"ZeroPad2d", "1", "[C, 4, 4]", "[C, 6, 6]"},
      {"ZeroPad2d", "(-1, 0, 0, -4)", "[N, C, 4, 4]", "[N, C, 0, 3]"},
      {"ZeroPad2d", "(0, 0, -5, 0)", "[N, C, 4, 4]",
       "ZeroPad2d 'layer' has padding (0, 0, -5, 0) that leaves a negative size in dim 2: 'x' "
       "gives [N, C, 4, 4]"},
      {"ConstantPad1d", "2, 3.5", "[N, 3, L]", "[N, 3, L+4]"},
      {"ConstantPad2d", "(1, 1, 2, 2), 1.0", "[4, 4]", "[8, 6]"},
      {"ConstantPad3d", "1, 0", "[N, 2, 3, 4, 4]", "[N, 2, 5, 6, 6]"},
      {"ConstantPad2d", "1, 0", "[4]",
       "ConstantPad2d 'layer' expects an input with at least 2 dims, but 'x' gives [4]"},
  });
}

}  // namespace
}  // namespace sketch
