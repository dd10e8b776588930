#include <doctest/doctest.h>

#include "graph_test_support.h"

using sketch::testing::check;

namespace sketch {

TEST_CASE("blocks, Sequentials and block instances get PyTorch module paths") {
  auto c = check(R"(sketch tiny
input image: float32[N, 3, 32, 32]
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
stem = Conv2d(out_channels=16, kernel_size=3, padding=1)
body = Sequential(Residual(16), Residual(16))
pool = AdaptiveAvgPool2d(1)
flat = Flatten()
fc = Linear(out_features=10)
image -> stem -> body -> pool -> flat -> fc
output logits = fc
)");
  CHECK(c->brief() == "");
  for (const char* path : {"image", "stem", "body.0.conv1", "body.0.bn1", "body.1.add", "fc"})
    CHECK_MESSAGE(c->find(path), path);
  const Node* add = c->find("body.1.add");
  REQUIRE(add);
  REQUIRE(add->inputs.size() == 2);
  // Link order: relu feeds input 0, the block input (body.0's add) feeds input 1.
  CHECK(c->graph.node(add->inputs[0]->source.node).path == "body.1.relu");
  CHECK(c->graph.node(add->inputs[1]->source.node).path == "body.0.add");
  CHECK(c->find("body.0.conv1")->inputs[0]->source.node == c->find("stem")->id);
  CHECK(c->find("fc")->outputs[0].toString() == "float32[N, 10]");
  CHECK(c->find("stem")->attrs.at("in_channels") == Value::ofInt(3));
  REQUIRE(c->graph.groups.size() == 3);
  CHECK(c->graph.groups[1].path == "body.0");
  CHECK(c->graph.groups[1].kind == "Residual");
  CHECK(c->graph.groups[1].parent == 0);
}

TEST_CASE("ordered multi-input links and fan-out") {
  auto c = check(R"(input x: float32[N, 4]
input y: float32[N, 6]
cat = Concat(dim=1)
a = ReLU()
b = Sigmoid()
(x, y) -> cat -> (a, b)
s = Add()
(a, b) -> s
output out = s
)");
  CHECK(c->brief() == "");
  const Node* cat = c->find("cat");
  REQUIRE(cat->inputs.size() == 2);
  CHECK(c->graph.node(cat->inputs[0]->source.node).name == "x");
  CHECK(c->graph.node(cat->inputs[1]->source.node).name == "y");
  CHECK(c->find("s")->outputs[0].shapeString() == "[N, 10]");
}

TEST_CASE("link errors are located, complete and suggest names") {
  struct Case {
    const char* text;
    const char* brief;
  };
  const Case cases[] = {
      {"input x: float32[N, 4]\nrelu = ReLU()\nx -> reul\noutput y = relu\n",
       "3:6: error: unknown block 'reul'\n"},
      {"input x: float32[N, 4]\nr = ReLU()\nx -> r\nx -> r\noutput y = r\n",
       "4:1: error: ReLU 'r' takes 1 input, but a second is linked here\n"},
      {"input x: float32[N, 4]\na = Add()\nx -> a.input\nx -> a.input\nx -> a\noutput y = a\n",
       "4:1: error: input 'input' of 'a' is already linked\n"},
      {"input x: float32[N, 4]\na = Add()\nx -> a\noutput y = a\n",
       "2:5: error: Add 'a' needs its input 'other' linked\n"},
      {"input x: float32[N, 4]\nf = Linear(4, 2)\noutput y = f\n",
       "2:5: error: Linear 'f' has nothing linked to it\n"},
      {"input x: float32[N, 4]\ninput x: float32[N, 8]\nf = Linear(4, 2)\nx -> f\noutput y = f\n",
       "2:7: error: 'x' is declared twice\n"},
      {"input x: float32[N, 6]\ns = Split(2, dim=1)\nr = ReLU()\nx -> s\ns.5 -> r\noutput y = r\n",
       "5:1: error: Split 's' has no output 5: it has only 3 outputs\n"},
      {"block B(n, n) {\n  input h\n  output h\n}\ninput x: float32[N, 4]\nb = B(1, 2)\nx -> b\n"
       "output y = b\n",
       "1:12: error: parameter 'n' is declared twice\n"},
      {"block B(n) {\n  input h\n  output h\n}\ninput x: float32[N, 4]\nb = B(1, 2, 3)\nx -> b\n"
       "output y = b\n",
       "6:10: error: block 'B' takes 1 argument, but 3 were given\n"},
      {"input x: float32[N, 4]\nlstm = LSTM(4, 8)\nf = Linear(8, 2)\nx -> lstm\nlstm.3 -> f\noutput y = f\n",
       "5:6: error: LSTM 'lstm' has no output port '3'\n"},
      // The block a misspelt name probably meant is still checked.
      {"input x: float32[N, 4]\nr = ReLU()\nf = Linear(8, 2)\nx -> r -> f\noutput y = f\noutput z = rr\n",
       "6:12: error: unknown block 'rr'\n3:5: error: Linear 'f' expects 8 input features, but 'r' "
       "gives [N, 4]\n"},
      {"input x: float32[N, 4]\na = Add()\nb = ReLU()\nx -> a -> b -> a\noutput y = b\n",
       "4:11: error: links form a cycle: 'a' -> 'b' -> 'a'\n"},
      {"input x: float32[N, 4]\nr = ReLU()\nx -> r\n",
       "1:1: error: the sketch declares no output\n"},
      {"input x: float32[N, 4]\nr = ReLU()\nq = ReLU()\nx -> r\nx -> q\noutput y = r\n",
       "3:5: warning: block 'q' does not reach any output\n"},
      {"input x: float32[N, 4]\nr = Conv2D(3, 4, 3)\nx -> r\noutput y = r\n",
       "2:5: error: unknown op 'Conv2D'\n"},
      {"input x: float32[N, 4]\nlstm = LSTM(4, 8)\nf = ReLU()\nx -> lstm\nlstm.hn -> f\noutput y = f\n",
       "5:6: error: LSTM 'lstm' has no output port 'hn'\n"},
  };
  for (const Case& k : cases) {
    CAPTURE(k.text);
    auto c = check(k.text);
    CHECK(c->brief() == k.brief);
  }
}

TEST_CASE("block definitions: parameters, defaults, recursion") {
  struct Case {
    const char* text;
    const char* brief;
  };
  const Case cases[] = {
      {"block B(c, k=3) {\n  input x\n  conv = Conv2d(c, c, k, padding=k // 2)\n  x -> conv\n  output conv\n}\n"
       "input i: float32[1, 8, 5, 5]\nb = B(8)\ni -> b\noutput o = b\n",
       ""},
      {"block B(c) {\n  input x\n  r = ReLU()\n  x -> r\n  output r\n}\ninput i: float32[1, 8]\nb = B()\ni -> b\noutput o = b\n",
       "8:5: error: block 'B' needs parameter 'c'\n"},
      {"block B(c) {\n  input x\n  r = ReLU()\n  x -> r\n  output r\n}\ninput i: float32[1, 8]\nb = B(1, chanels=2)\ni -> b\noutput o = b\n",
       "8:10: error: block 'B' has no parameter 'chanels'\n"},
      {"block B() {\n  input x\n  inner = B()\n  x -> inner\n  output inner\n}\ninput i: float32[1, 8]\nb = B()\ni -> b\noutput o = b\n",
       "3:11: error: block 'B' contains itself\n"},
      {"block B() {\n  input x\n  input y\n  a = Add()\n  (x, y) -> a\n  output a\n}\ninput i: float32[1, 8]\nb = B()\ni -> b\noutput o = b\n",
       "9:5: error: input 'y' of 'b' is never linked\n"},
  };
  for (const Case& k : cases) {
    CAPTURE(k.text);
    auto c = check(k.text);
    CHECK(c->brief() == k.brief);
  }
}

TEST_CASE("a shape mismatch names both sides, with a note at the link") {
  auto c = check(R"(input x: float32[N, 3, 32, 32]
conv1 = Conv2d(3, 32, 3)
relu = ReLU()
conv2 = Conv2d(64, 128, kernel_size=3)
x -> conv1 -> relu -> conv2
output y = conv2
)");
  CHECK(c->rendered() ==
        "t.sketch:4:9: error: Conv2d 'conv2' expects 64 input channels, but 'relu' gives "
        "[N, 32, 30, 30] [shape-mismatch]\n"
        " 4 | conv2 = Conv2d(64, 128, kernel_size=3)\n"
        "   |         ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
        "t.sketch:5:15: note: 'relu' is linked to 'conv2' here\n"
        " 5 | x -> conv1 -> relu -> conv2\n"
        "   |               ^~~~~~~~~~~~~\n"
        "  help: set in_channels=32, or leave it out to infer it\n");
}

TEST_CASE("one error does not cascade through the graph") {
  auto c = check(R"(input x: float32[N, 3, 32, 32]
conv1 = Conv2d(3, 32, 3, strid=2)
relu = ReLU()
fc = Linear(10, 10)
x -> conv1 -> relu -> fc
output y = fc
)");
  CHECK(c->brief() == "2:26: error: Conv2d has no attribute 'strid'\n");
}

TEST_CASE("a declaration that fails to parse keeps its name: one message, no cascade") {
  struct Case {
    const char* text;
    const char* brief;
  };
  const char* tail = "relu = ReLU()\nx -> fc -> relu\noutput y = relu\n";
  const Case cases[] = {
      {"input x: float32[N, 16]\nfc = Linear(16, 8\n",
       "2:18: error: expected ')' to close the arguments of 'Linear', found newline\n"},
      {"input x: float32[N, 16]\nfc Linear(16, 8)\n",
       "2:4: error: expected '=' or '->' after 'fc', found identifier 'Linear'\n"},
      {"input x: float32[N, 16]\nfc = Linear(16, bias=false, 8)\n",
       "2:29: error: positional argument follows keyword argument 'bias'\n"},
      {"input x: float32[N, 16]\nfc = Linear(16, 8) $\n",
       "2:20: error: invalid character '$' (U+0024)\n"},
      {"input x\nfc = Linear(16, 8)\n", "1:1: error: input 'x' needs a type\n"},
      {"input x: float32[N 16]\nfc = Linear(16, 8)\n",
       "1:20: error: expected ']' to close the dimensions, found integer '16'\n"},
      // A valid declaration of the same name wins over a broken one, silently.
      {"input x: float32[N, 16]\nfc Linear(16, 4)\nfc = Linear(16, 8)\n",
       "2:4: error: expected '=' or '->' after 'fc', found identifier 'Linear'\n"},
  };
  for (const Case& k : cases) {
    CAPTURE(k.text);
    auto c = check(std::string(k.text) + tail);
    CHECK(c->brief() == k.brief);
  }
  // `x -> fc ->`: the valid prefix is linked, so 'fc' is not reported unlinked.
  auto c = check("input x: float32[N, 16]\nfc = Linear(16, 8)\nx -> fc ->\noutput y = fc\n");
  CHECK(c->brief() == "3:11: error: expected a block or input name, found newline\n");
  REQUIRE(c->find("fc"));
  CHECK(c->find("fc")->inputs[0].has_value());
}

TEST_CASE("port names: port 0 is the bare name, as in the language") {
  auto c = check("input x: float32[N, 4, 8]\nlstm = LSTM(8, 8)\ns = Split(2, dim=1)\n"
                 "p = MaxPool1d(2, return_indices=true)\nx -> lstm\nx -> s\nx -> p\n"
                 "output y = lstm\noutput h = lstm.h_n\noutput a = s\noutput b = s.1\n"
                 "output q = p\noutput i = p.indices\n");
  REQUIRE(c->brief() == "");
  const Graph& g = c->graph;
  std::vector<std::string> names;
  for (const GraphOutput& out : g.outputs) names.push_back(g.portName(out.source));
  CHECK(names == std::vector<std::string>{"lstm", "lstm.h_n", "s", "s.1", "p", "p.indices"});
}

}  // namespace sketch
