#include <doctest/doctest.h>

#include "layer_test_support.h"

namespace sketch {
namespace {

using testing::runOp;

TEST_CASE("Embedding appends embedding_dim to integer indices") {
  testing::OpRun run = runOp("Embedding", "30522, 768, padding_idx=0", {"int64[N, L]"});
  CHECK(run.issue() == "");
  CHECK(run.outputs[0].toString() == "float32[N, L, 768]");
  CHECK(testing::paramsText(run) == "weight float32[30522, 768]");
  CHECK(run.param("weight")->init.kind == Init::Kind::Normal);
  CHECK(run.param("weight")->init.value == 1);
  CHECK(run.macs == 0);
  CHECK(runOp("Embedding", "10, 3", {"int32[]"}).outputs[0].toString() == "float32[3]");
}

TEST_CASE("Embedding checks its indices and padding_idx") {
  testing::OpRun floats = runOp("Embedding", "10, 3", {"[N, L]"});
  CHECK(floats.issue() ==
        "Embedding 'layer' expects int64 or int32 indices, but 'x' gives [N, L] of float32");
  CHECK(floats.help() == "give the input an integer dtype such as int64");
  testing::OpRun padding = runOp("Embedding", "10, 3, 10", {"int64[N]"});
  CHECK(padding.issue() == "Embedding 'layer' has padding_idx 10, outside the 10 embeddings");
  CHECK(padding.help() == "use a padding_idx in [-10, 9]");
  CHECK(runOp("Embedding", "10, 3, -10", {"int64[N]"}).issue() == "");
  CHECK(runOp("Embedding", "-1, 3", {"int64[N]"}).issue() ==
        "Embedding 'layer' has negative num_embeddings -1");
}

}  // namespace
}  // namespace sketch
