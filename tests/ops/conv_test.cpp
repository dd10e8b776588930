#include <doctest/doctest.h>

#include <cmath>

#include "layer_test_support.h"

namespace sketch {
namespace {

using testing::runOp;

using testing::CallShapeCase;

TEST_CASE("convolution output shapes, symbolic dims included") {
  const CallShapeCase cases[] = {
      {"Conv2d", "3, 16, 3, padding=1", "[1, 3, 32, 32]", "[1, 16, 32, 32]"},
      {"Conv2d", "3, 16, 3, stride=2", "[1, 3, 32, 32]", "[1, 16, 15, 15]"},
      {"Conv2d", "out_channels=16, kernel_size=3, padding=1", "[N, 3, 32, 32]", "[N, 16, 32, 32]"},
      {"Conv2d", "3, 16, 3", "[3, 32, 32]", "[16, 30, 30]"},
      {"Conv2d", "3, 16, (3, 1), stride=(2, 1), padding=(1, 0)", "[N, 3, 10, 7]", "[N, 16, 5, 7]"},
      {"Conv2d", "3, 6, 3, padding='same', dilation=2", "[N, 3, 7, 9]", "[N, 6, 7, 9]"},
      {"Conv2d", "3, 6, 3, padding='valid'", "[N, 3, 7, 9]", "[N, 6, 5, 7]"},
      {"Conv2d", "3, 6, 3, padding='same'", "[N, 3, H, W]", "[N, 6, H, W]"},
      {"Conv2d", "3, 8, 3, padding=1", "[N, 3, H, W]", "[N, 8, H, W]"},
      {"Conv2d", "3, 8, 3, stride=2, padding=1", "[N, 3, H, 8]", "[N, 8, (H-1)//2+1, 4]"},
      {"Conv2d", "4, 8, 3, groups=4, dilation=2", "[N, 4, 9, 9]", "[N, 8, 5, 5]"},
      {"Conv1d", "4, 6, 3", "[N, 4, L]", "[N, 6, L-2]"},
      {"Conv1d", "4, 6, 3", "[4, 17]", "[6, 15]"},
      {"Conv3d", "2, 4, 3, padding=1", "[N, 2, D, H, W]", "[N, 4, D, H, W]"},
      {"Conv3d", "2, 4, (1, 3, 3), stride=(1, 2, 2)", "[N, 2, 4, 9, 9]", "[N, 4, 4, 4, 4]"},
      {"ConvTranspose2d", "4, 8, 3, stride=2, padding=1, output_padding=1", "[N, 4, H, W]",
       "[N, 8, 2*H, 2*W]"},
      {"ConvTranspose2d", "4, 8, 4, stride=2, padding=1", "[2, 4, 5, 6]", "[2, 8, 10, 12]"},
      {"ConvTranspose2d", "4, 8, 3, dilation=2", "[4, 5, 6]", "[8, 9, 10]"},
      {"ConvTranspose1d", "4, 8, 3, stride=3", "[N, 4, L]", "[N, 8, 3*L]"},
  };
  for (const CallShapeCase& c : cases) {
    std::string call = testing::describeCall(c);
    CAPTURE(call);
    testing::checkCallShape(c);
  }
}

struct ErrorCase {
  const char* op;
  const char* args;
  const char* input;
  const char* message;
  const char* help;
};

TEST_CASE("convolution shape errors name the attribute and the input") {
  const ErrorCase cases[] = {
      {"Conv2d", "64, 128, 3", "[N, 32, 56, 56]",
       "Conv2d 'layer' expects 64 input channels, but 'x' gives [N, 32, 56, 56]",
       "set in_channels=32, or leave it out to infer it"},
      {"Conv2d", "out_channels=8, kernel_size=3", "[N, C, 8, 8]",
       "Conv2d 'layer' cannot infer 'in_channels' from a symbolic size: 'x' gives [N, C, 8, 8]",
       "give in_channels explicitly"},
      {"Conv2d", "3, 8, 3", "[N, 3]",
       "Conv2d 'layer' expects a 3-D or 4-D input, but 'x' gives [N, 3]", ""},
      {"Conv2d", "4, 8, 3, groups=3", "[N, 4, 8, 8]",
       "Conv2d 'layer': in_channels 4 is not divisible by groups 3", ""},
      {"Conv2d", "4, 6, 3, groups=4", "[N, 4, 8, 8]",
       "Conv2d 'layer': out_channels 6 is not divisible by groups 4", ""},
      {"Conv2d", "3, 6, 5", "[1, 3, 4, 9]",
       "Conv2d 'layer' has a kernel of size 5 in dim 2, larger than the padded input size 4: 'x' "
       "gives [1, 3, 4, 9]",
       "use a smaller kernel_size or dilation, or more padding"},
      {"Conv1d", "3, 6, 3, dilation=4", "[N, 3, 8]",
       "Conv1d 'layer' has a kernel of size 9 in dim 2, larger than the padded input size 8: 'x' "
       "gives [N, 3, 8]",
       "use a smaller kernel_size or dilation, or more padding"},
      {"Conv2d", "3, 6, 3, padding='same', stride=2", "[N, 3, 8, 8]",
       "Conv2d 'layer' cannot use padding='same' with stride (2, 2)",
       "use stride=1, or give the padding as numbers"},
      {"Conv2d", "3, 6, 0", "[N, 3, 8, 8]", "Conv2d 'layer' has non-positive kernel_size (0, 0)",
       "use values >= 1"},
      {"Conv2d", "3, 6, 3, padding=(1, -1)", "[N, 3, 8, 8]",
       "Conv2d 'layer' has negative padding (1, -1)", "use values >= 0"},
      {"Conv2d", "3, 0, 3", "[N, 3, 8, 8]", "Conv2d 'layer' has non-positive out_channels 0",
       "use values >= 1"},
      {"Conv2d", "3, 6, 3, padding=3, padding_mode='reflect'", "[N, 3, 3, 3]",
       "Conv2d 'layer' pads dim 2 by 3 with padding_mode 'reflect', more than the input allows: "
       "'x' gives [N, 3, 3, 3]",
       "use padding smaller than the input size"},
      {"Conv2d", "3, 6, 3, padding=4, padding_mode='circular'", "[N, 3, 3, 3]",
       "Conv2d 'layer' pads dim 2 by 4 with padding_mode 'circular', more than the input allows: "
       "'x' gives [N, 3, 3, 3]",
       "use padding at most the input size"},
      {"ConvTranspose2d", "4, 8, 3, output_padding=1", "[N, 4, 5, 5]",
       "ConvTranspose2d 'layer' has output_padding (1, 1), which must be smaller than either "
       "stride "
       "or dilation",
       "use output_padding < stride"},
      {"ConvTranspose2d", "4, 8, 3, padding=3", "[N, 4, 2, 2]",
       "ConvTranspose2d 'layer' computes an empty output (size -2) in dim 2: 'x' gives [N, 4, 2, "
       "2]",
       "use less padding"},
  };
  for (const ErrorCase& c : cases) {
    std::string call = std::string(c.op) + "(" + c.args + ") on " + c.input;
    CAPTURE(call);
    testing::OpRun run = runOp(c.op, c.args, {c.input});
    CHECK(run.issue() == c.message);
    CHECK(run.help() == c.help);
  }
}

TEST_CASE("convolution parameters follow PyTorch's names, shapes and init") {
  testing::OpRun conv = runOp("Conv2d", "out_channels=16, kernel_size=3", {"[N, 3, 32, 32]"});
  CHECK(testing::paramsText(conv) == "weight float32[16, 3, 3, 3]; bias float32[16]");
  CHECK(conv.param("weight")->init.kind == Init::Kind::Uniform);
  CHECK(conv.param("weight")->init.value == doctest::Approx(1 / std::sqrt(27.0)));
  CHECK(conv.param("bias")->init.value == doctest::Approx(1 / std::sqrt(27.0)));

  CHECK(testing::paramsText(runOp("Conv1d", "4, 8, 5, groups=2, bias=false", {"[N, 4, 9]"})) ==
        "weight float32[8, 2, 5]");
  CHECK(testing::paramsText(runOp("Conv3d", "2, 4, (1, 3, 3)", {"[N, 2, 4, 9, 9]"})) ==
        "weight float32[4, 2, 1, 3, 3]; bias float32[4]");
  testing::OpRun transposed = runOp("ConvTranspose2d", "4, 8, 3, groups=2", {"[N, 4, 5, 5]"});
  CHECK(testing::paramsText(transposed) == "weight float32[4, 4, 3, 3]; bias float32[8]");
  CHECK(transposed.param("weight")->init.value == doctest::Approx(1 / 6.0));
}

TEST_CASE("convolution MACs count output elements times the kernel's inputs") {
  // ResNet-18's conv1, per sample: 64*112*112 outputs * 3*7*7.
  CHECK(runOp("Conv2d", "3, 64, 7, stride=2, padding=3, bias=false", {"[N, 3, 224, 224]"}).macs ==
        118013952);
  CHECK(runOp("Conv2d", "4, 8, 3, groups=2", {"[1, 4, 5, 5]"}).macs == 8 * 3 * 3 * 2 * 9);
  // Transposed: every input element meets out_channels/groups * kernel weights.
  CHECK(runOp("ConvTranspose2d", "4, 8, 3", {"[1, 4, 5, 5]"}).macs == 100 * 8 * 9);
}

}  // namespace
}  // namespace sketch
