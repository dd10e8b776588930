#include <doctest/doctest.h>

#include "graph/graph_diff.h"
#include "graph_test_support.h"

using sketch::testing::check;

namespace sketch {

namespace {

const char* const kBase = R"(sketch net
input x: float32[N, 3, 8, 8]
conv = Conv2d(3, 8, 3, padding=1)
relu = ReLU()
pool = AdaptiveAvgPool2d(1)
flat = Flatten()
fc = Linear(8, 4)
x -> conv -> relu -> pool -> flat -> fc
output y = fc
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::vector<std::string> paths(const std::vector<const Node*>& nodes) {
  std::vector<std::string> out;
  for (const Node* n : nodes) out.push_back(n->path);
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("graph diff: a graph equals itself") {
  auto a = check(kBase), b = check(kBase);
  REQUIRE(!a->diags.hasErrors());
  CHECK(diffGraphs(a->graph, b->graph).empty());
}

TEST_CASE("graph diff: a changed attribute and the shapes it changes") {
  auto a = check(kBase);
  auto b = check(replaced(replaced(kBase, "Conv2d(3, 8, 3, padding=1)", "Conv2d(3, 16, 3, padding=1)"),
                          "Linear(8, 4)", "Linear(16, 4)"));
  REQUIRE(!b->diags.hasErrors());
  GraphDiff d = diffGraphs(a->graph, b->graph);
  CHECK(d.added.empty());
  CHECK(d.removed.empty());
  CHECK(d.linksAdded.empty());
  REQUIRE(d.changed.size() == 5);  // conv, relu, pool, flat by shape; fc by in_features
  const NodeChange& conv = d.changed[0];
  CHECK(conv.after->path == "conv");
  CHECK(conv.attrs == Strings{"out_channels"});
  CHECK(conv.outputsChanged);
  CHECK_FALSE(conv.opChanged);
  CHECK(d.changed[1].attrs.empty());
  CHECK(d.changed[4].attrs == Strings{"in_features"});
  CHECK_FALSE(d.changed[4].outputsChanged);
}

TEST_CASE("graph diff: an inserted block adds a block and relinks") {
  auto a = check(kBase);
  auto b = check(replaced(replaced(kBase, "relu = ReLU()\n", "relu = ReLU()\ndrop = Dropout(0.5)\n"),
                          "relu -> pool", "relu -> drop -> pool"));
  REQUIRE(!b->diags.hasErrors());
  GraphDiff d = diffGraphs(a->graph, b->graph);
  CHECK(paths(d.added) == Strings{"drop"});
  CHECK(d.removed.empty());
  CHECK(d.changed.empty());
  CHECK(d.linksAdded == Strings{"drop -> pool", "relu -> drop"});
  CHECK(d.linksRemoved == Strings{"relu -> pool"});
}

TEST_CASE("graph diff: a renamed block is one change, not two blocks and four links") {
  auto a = check(kBase);
  auto b = check(replaced(replaced(replaced(kBase, "fc = Linear", "head = Linear"), "flat -> fc", "flat -> head"),
                          "y = fc", "y = head"));
  REQUIRE(!b->diags.hasErrors());
  GraphDiff d = diffGraphs(a->graph, b->graph);
  CHECK(d.added.empty());
  CHECK(d.removed.empty());
  REQUIRE(d.changed.size() == 1);
  CHECK(d.changed[0].renamed);
  CHECK(d.changed[0].before->path == "fc");
  CHECK(d.changed[0].after->path == "head");
  CHECK(d.linksAdded.empty());
  CHECK(d.linksRemoved.empty());
}

TEST_CASE("graph diff: a block without parameters that only changed its name is relabeled") {
  auto a = check(kBase);
  auto b = check(replaced(replaced(kBase, "relu = ReLU()", "act = ReLU()"), "conv -> relu -> pool",
                          "conv -> act -> pool"));
  REQUIRE(!b->diags.hasErrors());
  GraphDiff d = diffGraphs(a->graph, b->graph);
  CHECK(d.empty());
  REQUIRE(d.relabeled.size() == 1);
  CHECK(d.relabeled[0].before->path == "relu");
  CHECK(d.relabeled[0].after->path == "act");
}

TEST_CASE("graph diff: attribute values compare as the op reads them") {
  auto a = check(kBase);
  auto b = check(replaced(kBase, "Conv2d(3, 8, 3, padding=1)", "Conv2d(3, 8, (3, 3), padding=(1, 1), stride=1)"));
  auto c = check(replaced(kBase, "AdaptiveAvgPool2d(1)", "AdaptiveAvgPool2d((1, 1))"));
  REQUIRE(!b->diags.hasErrors());
  REQUIRE(!c->diags.hasErrors());
  CHECK(diffGraphs(a->graph, b->graph).empty());
  CHECK(diffGraphs(a->graph, c->graph).empty());
}

TEST_CASE("graph diff: relinked ports, op changes and outputs") {
  const char* twoInputs = R"(sketch net
input x: float32[N, 4]
a = Linear(4, 4)
b = Linear(4, 4)
cat = Concat(dim=1)
act = ReLU()
x -> (a, b)
(a, b) -> cat -> act
output y = act
)";
  auto a = check(twoInputs);
  auto b = check(replaced(replaced(twoInputs, "(a, b) -> cat", "(b, a) -> cat"), "act = ReLU()", "act = GELU()"));
  REQUIRE(!a->diags.hasErrors());
  REQUIRE(!b->diags.hasErrors());
  GraphDiff d = diffGraphs(a->graph, b->graph);
  CHECK(d.linksAdded == Strings{"a -> cat.tensors.1", "b -> cat.tensors.0"});
  CHECK(d.linksRemoved == Strings{"a -> cat.tensors.0", "b -> cat.tensors.1"});
  REQUIRE(d.changed.size() == 1);
  CHECK(d.changed[0].opChanged);
  CHECK(d.changed[0].after->path == "act");
}

}  // namespace sketch
