#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "graph/raise_graph.h"
#include "graph_test_support.h"
#include "lang/printer.h"

using sketch::testing::check;

namespace sketch {

namespace {

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// What must survive raising: every node's path, op, attributes and output types, and
// every link by path.
std::vector<std::string> describe(const Graph& g) {
  std::vector<std::string> lines;
  for (const Node& n : g.nodes) {
    std::string line = n.path + " " + n.op->name();
    for (const auto& [name, value] : n.attrs) line += " " + name + "=" + value.toString();
    for (const TensorType& t : n.outputs) line += " -> " + t.toString();
    for (const auto& link : n.inputs)
      line += " <- " + (link ? g.portName(link->source) : std::string("none"));
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

}  // namespace

TEST_CASE("raising a checked example prints a sketch with the same graph") {
  for (const auto& entry : std::filesystem::directory_iterator(SKETCH_SOURCE_DIR "/examples")) {
    if (entry.path().extension() != ".sketch") continue;
    CAPTURE(entry.path().string());
    auto original = check(readFile(entry.path()));
    REQUIRE(original->brief() == "");
    for (bool keepGroups : {true, false}) {
      CAPTURE(keepGroups);
      Graph graph = original->graph;
      if (!keepGroups) graph.groups.clear();  // as from a file that has no class names
      std::string text = printSketch(raiseGraph(graph, "w.safetensors").module);
      CAPTURE(text);
      auto again = check(text);
      CHECK(again->brief() == "");
      CHECK(describe(again->graph) == describe(original->graph));
    }
  }
}

TEST_CASE("instances that differ only in values share one parameterised definition") {
  auto c = check(R"(sketch two
input x: float32[N, 8]
block B(w) {
  input i
  fc = Linear(w, w)
  act = ReLU()
  i -> fc -> act
  output act
}
a = B(8)
b = B(8)
x -> a -> b
output y = b
)");
  REQUIRE(c->brief() == "");
  std::string text = printSketch(raiseGraph(c->graph, "").module);
  CHECK(text.find("block B {") != std::string::npos);
  CHECK(text.find("block B2") == std::string::npos);
  CHECK(text.find("a = B()") != std::string::npos);
}

TEST_CASE("definitions without a class name take the module name their instances share") {
  auto c = check(R"(sketch m
input x: float32[N, 8]
block B {
  input i
  fc = Linear(8, 8)
  i -> fc
  output fc
}
block C {
  input i
  fc = Linear(8, 8)
  r = Tanh()
  i -> fc -> r
  output r
}
block Outer {
  input i
  channel_mlp = B()
  act = ReLU()
  i -> channel_mlp -> act
  output act
}
block Last {
  input i
  linear = C()
  r = ReLU()
  i -> linear -> r
  output r
}
p = Outer()
q = Outer()
z = Last()
x -> p -> q -> z
output y = z
)");
  REQUIRE(c->brief() == "");
  Graph graph = c->graph;
  graph.groups.clear();  // as from an ONNX file: the hierarchy is in the paths only
  std::string text = printSketch(raiseGraph(graph, "").module);
  CAPTURE(text);
  CHECK(text.find("block ChannelMlp {") != std::string::npos);  // p.channel_mlp, q.channel_mlp
  CHECK(text.find("channel_mlp = ChannelMlp()") != std::string::npos);
  CHECK(text.find("block LinearBlock {") != std::string::npos);  // never an op's name
  CHECK(text.find("block Block {") != std::string::npos);        // p and q: no shared name
  CHECK(text.find("z = Z()") != std::string::npos);
}

}  // namespace sketch
