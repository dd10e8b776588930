#include <doctest/doctest.h>

#include <regex>

#include "../graph/graph_test_support.h"
#include "render/dot_graph.h"
#include "render/graphviz_render.h"

using sketch::testing::check;

namespace sketch {

namespace {

const char* const kResidual = R"(sketch tiny
input image: float32[N, 3, 16, 16]
block Residual(channels) {
  input x
  conv1 = Conv2d(channels, channels, kernel_size=3, padding=1, bias=false)
  bn1 = BatchNorm2d()
  relu = ReLU()
  add = Add()
  x -> conv1 -> bn1 -> relu -> add
  x -> add
  output add
}
stem = Conv2d(out_channels=8, kernel_size=3, stride=2, padding=1)
body = Sequential(Residual(8), Residual(8))
pool = AdaptiveAvgPool2d(1)
flat = Flatten()
fc = Linear(out_features=10)
image -> stem -> body -> pool -> flat -> fc
output logits = fc
)";

// Boxes drawn: node statements ("n3 [", "g1 [", "out0 ["), not edges.
size_t boxCount(const std::string& dot) {
  std::regex box(R"(^\s*(n|g|out)\d+ \[)", std::regex::multiline);
  return std::distance(std::sregex_iterator(dot.begin(), dot.end(), box), std::sregex_iterator());
}

}  // namespace

TEST_CASE("dot graph: every block with its op, attributes and shape; groups as clusters") {
  auto c = check(kResidual);
  REQUIRE(!c->diags.hasErrors());
  std::string dot = graphToDot(c->graph);
  for (const Node& n : c->graph.nodes) {
    CAPTURE(n.path);
    CHECK(dot.find(n.path) != std::string::npos);
  }
  CHECK(dot.find(R"x(label="stem\nConv2d(3, 8, 3, stride=2, padding=1)\n[N, 8, 8, 8]")x") != std::string::npos);
  CHECK(dot.find(R"x(label="body.0 (Residual)")x") != std::string::npos);
  CHECK(dot.find(R"x(label="body (Sequential)")x") != std::string::npos);
  CHECK(dot.find(R"x([label="[N, 8, 8, 8]"])x") != std::string::npos);  // an edge's tensor
  CHECK(boxCount(dot) == c->graph.nodes.size() + 1);                   // + the output
}

TEST_CASE("dot graph: --depth collapses deeper groups into one box with their parameters") {
  auto c = check(kResidual);
  std::string full = graphToDot(c->graph);
  std::string one = graphToDot(c->graph, DotOptions{1});
  std::string none = graphToDot(c->graph, DotOptions{0});
  CHECK(boxCount(one) < boxCount(full));
  CHECK(boxCount(none) < boxCount(one));
  CHECK(boxCount(none) == 6 + 1);  // image, stem, body, pool, flat, fc; the output
  // Each Residual(8): conv 8*8*9 = 576, bn 16 (running stats are buffers).
  CHECK(one.find(R"x(label="body.0\nResidual\n592 params")x") != std::string::npos);
  CHECK(none.find(R"x(label="body\nSequential\n1.2k params")x") != std::string::npos);
  CHECK(none.find("body.0.conv1") == std::string::npos);
}

TEST_CASE("opLabel: required and inferred attributes lead, then what differs from defaults") {
  auto c = check(kResidual);
  CHECK(opLabel(*c->find("body.0.conv1")) == "Conv2d(8, 8, 3, padding=1, bias=false)");
  CHECK(opLabel(*c->find("fc")) == "Linear(8, 10)");
  CHECK(opLabel(*c->find("body.0.relu")) == "ReLU()");
}

TEST_CASE("graphviz: the drawing lays out as SVG and PNG") {
  auto c = check(kResidual);
  std::string svg, png, error;
  REQUIRE_MESSAGE(renderDot(graphToDot(c->graph), "svg", &svg, &error), error);
  CHECK(svg.find("<svg") != std::string::npos);
  CHECK(svg.find("body.1.bn1") != std::string::npos);
  REQUIRE_MESSAGE(renderDot(graphToDot(c->graph), "png", &png, &error), error);
  CHECK(png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
}

TEST_CASE("graphviz: bad input and unknown formats are errors, not output") {
  std::string image, error;
  CHECK_FALSE(renderDot("digraph { a -> }", "svg", &image, &error));
  CHECK(error.rfind("graphviz cannot read the drawing", 0) == 0);
  CHECK_FALSE(renderDot("digraph { a -> b }", "no-such-format", &image, &error));
  CHECK(error.rfind("graphviz cannot draw no-such-format", 0) == 0);
  CHECK(image.empty());
}

}  // namespace sketch
