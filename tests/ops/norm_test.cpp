#include <doctest/doctest.h>

#include "layer_test_support.h"

namespace sketch {
namespace {

using testing::paramsText;
using testing::runOp;

TEST_CASE("BatchNorm infers num_features and keeps the shape") {
  testing::OpRun bn = runOp("BatchNorm2d", "", {"[N, 64, H, W]"});
  CHECK(bn.issue() == "");
  CHECK(bn.output() == "[N, 64, H, W]");
  CHECK(bn.attrs.at("num_features") == Value::ofInt(64));
  CHECK(runOp("BatchNorm1d", "", {"[N, 16]"}).output() == "[N, 16]");
  CHECK(runOp("BatchNorm1d", "", {"[N, 16, L]"}).output() == "[N, 16, L]");
  CHECK(runOp("BatchNorm3d", "8", {"[N, 8, 2, 3, 4]"}).output() == "[N, 8, 2, 3, 4]");
  CHECK(runOp("BatchNorm2d", "", {"[64, 7, 7]"}).issue() ==
        "BatchNorm2d 'layer' expects a 4-D input, but 'x' gives [64, 7, 7]");
  testing::OpRun bad = runOp("BatchNorm2d", "32", {"[N, 64, 7, 7]"});
  CHECK(bad.issue() == "BatchNorm2d 'layer' expects 32 channels, but 'x' gives [N, 64, 7, 7]");
  CHECK(bad.help() == "set num_features=64, or leave it out to infer it");
  // Without weights or running stats PyTorch never reads num_features.
  CHECK(runOp("BatchNorm2d", "32, affine=false, track_running_stats=false", {"[N, 64, 7, 7]"})
            .issue() == "");
}

TEST_CASE("BatchNorm parameters and buffers") {
  testing::OpRun bn = runOp("BatchNorm2d", "", {"[N, 64, 7, 7]"});
  CHECK(paramsText(bn) ==
        "weight float32[64]; bias float32[64]; running_mean float32[64] (buffer); running_var "
        "float32[64] (buffer); num_batches_tracked int64[] (buffer)");
  CHECK(bn.param("weight")->init.value == 1);
  CHECK(bn.param("bias")->init.value == 0);
  CHECK(bn.param("running_var")->init.value == 1);
  CHECK(bn.macs == 0);
  CHECK(paramsText(runOp("BatchNorm1d", "affine=false", {"[N, 4]"})) ==
        "running_mean float32[4] (buffer); running_var float32[4] (buffer); num_batches_tracked "
        "int64[] (buffer)");
  CHECK(paramsText(runOp("BatchNorm1d", "track_running_stats=false", {"[N, 4]"})) ==
        "weight float32[4]; bias float32[4]");
}

TEST_CASE("InstanceNorm takes unbatched inputs and has no parameters by default") {
  testing::OpRun in = runOp("InstanceNorm2d", "", {"[8, 5, 5]"});
  CHECK(in.output() == "[8, 5, 5]");
  CHECK(in.attrs.at("num_features") == Value::ofInt(8));
  CHECK(in.params.empty());
  CHECK(paramsText(runOp("InstanceNorm1d", "affine=true", {"[N, 3, L]"})) ==
        "weight float32[3]; bias float32[3]");
  CHECK(runOp("InstanceNorm1d", "affine=true", {"[N, 3, 4, 5]"}).issue() ==
        "InstanceNorm1d 'layer' expects a 2-D or 3-D input, but 'x' gives [N, 3, 4, 5]");
}

TEST_CASE("LayerNorm infers or checks the normalised trailing dims") {
  testing::OpRun ln = runOp("LayerNorm", "", {"[N, L, 768]"});
  CHECK(ln.output() == "[N, L, 768]");
  CHECK(ln.attrs.at("normalized_shape") == Value::ofInts({768}));
  CHECK(paramsText(ln) == "weight float32[768]; bias float32[768]");
  CHECK(paramsText(runOp("LayerNorm", "(5, 10)", {"[N, 5, 10]"})) ==
        "weight float32[5, 10]; bias float32[5, 10]");
  CHECK(runOp("LayerNorm", "10, elementwise_affine=false", {"[N, 10]"}).params.empty());
  testing::OpRun bad = runOp("LayerNorm", "(4, 10)", {"[N, 5, 10]"});
  CHECK(bad.issue() == "LayerNorm 'layer' expects trailing dims (4, 10), but 'x' gives [N, 5, 10]");
  CHECK(runOp("LayerNorm", "", {"[N, D]"}).issue() ==
        "LayerNorm 'layer' cannot infer 'normalized_shape' from a symbolic size: 'x' gives [N, D]");
  CHECK(runOp("LayerNorm", "64", {"[N, D]"}).issue() == "");
}

TEST_CASE("GroupNorm and LocalResponseNorm") {
  testing::OpRun gn = runOp("GroupNorm", "4", {"[N, 32, H, W]"});
  CHECK(gn.output() == "[N, 32, H, W]");
  CHECK(paramsText(gn) == "weight float32[32]; bias float32[32]");
  CHECK(runOp("GroupNorm", "3", {"[N, 32, 8]"}).issue() ==
        "GroupNorm 'layer': num_channels 32 is not divisible by num_groups 3");
  CHECK(runOp("GroupNorm", "4, 16", {"[N, 32, 8]"}).issue() ==
        "GroupNorm 'layer' expects 16 channels, but 'x' gives [N, 32, 8]");
  CHECK(runOp("LocalResponseNorm", "2", {"[N, 8, 5, 5]"}).output() == "[N, 8, 5, 5]");
  CHECK(runOp("LocalResponseNorm", "2", {"[N, 8]"}).issue() ==
        "LocalResponseNorm 'layer' expects an input with at least 3 dims, but 'x' gives [N, 8]");
}

}  // namespace
}  // namespace sketch
