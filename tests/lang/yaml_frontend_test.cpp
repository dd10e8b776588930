#include "lang/yaml_frontend.h"

#include <doctest/doctest.h>

#include "lang/printer.h"
#include "lang_test_support.h"

namespace sketch {
namespace {

using test::diagnosticsText;
using test::parseText;
using test::place;

TEST_CASE("yaml: the forms of a block") {
  auto p = parseText(
      "sketch: s\n"
      "blocks:\n"
      "  a: Conv2d(3, 16, kernel_size=3)\n"
      "  b: \"Linear(4, 5)\"\n"
      "  c: {op: Linear, args: [512, 10], bias: false}\n"
      "  d: {op: Upsample, mode: \"nearest\", size: [4, 4], scale: 2 * k, x: null}\n",
      true);
  CHECK(diagnosticsText(*p) == "");
  CHECK(printSketch(p->module) ==
        "sketch s\n\n"
        "a = Conv2d(3, 16, kernel_size=3)\n"
        "b = Linear(4, 5)\n"
        "c = Linear(512, 10, bias=false)\n"
        "d = Upsample(mode=\"nearest\", size=[4, 4], scale=2 * k, x=none)\n");
  const auto& a = std::get<ast::BlockDecl>(p->module.statements.at(1).statement);
  CHECK(place(p->sources, a.nameSpan) == "3:3");
  CHECK(place(p->sources, a.call->calleeSpan) == "3:6");
  CHECK(place(p->sources, a.call->arguments.at(2).keywordSpan) == "3:20");
  const auto& b = std::get<ast::BlockDecl>(p->module.statements.at(2).statement);
  CHECK(place(p->sources, b.call->arguments.at(1).value->span) == "4:17");
  const auto& c = std::get<ast::BlockDecl>(p->module.statements.at(3).statement);
  CHECK(place(p->sources, c.call->arguments.at(2).keywordSpan) == "5:36");
}

TEST_CASE("yaml: sections come out in canonical order, keys in file order") {
  auto p = parseText(
      "outputs: {y: fc.out}\n"
      "links: [x -> fc]\n"
      "blocks: {fc: \"Linear(1, 1)\", aa: ReLU()}\n"
      "inputs: {x: \"float32[N, 1]\"}\n"
      "sketch: s\n",
      true);
  CHECK(diagnosticsText(*p) == "");
  CHECK(printSketch(p->module) ==
        "sketch s\n\ninput x: float32[N, 1]\n\nfc = Linear(1, 1)\naa = ReLU()\n\nx -> fc\n\n"
        "output y = fc.out\n");
}

TEST_CASE("yaml: errors are located in the YAML file") {
  struct Case { const char* yaml; const char* diagnostics; };
  const Case cases[] = {
      {"sketch: [a\n", "1:9: error: invalid YAML: this '[' is never closed\n"
                        "2:1: note: the YAML parser stopped here: end of sequence flow not found\n"},
      {"inputs: {x: \"float32[N, 4]\"\nblocks:\n  fc: Linear(4, 2)  # [a\n",
       "1:9: error: invalid YAML: this '{' is never closed\n"
       "2:1: note: the YAML parser stopped here: end of map flow not found\n"},
      {"blocks: {a: ReLU()}\noutputs: {y: \"a}\n",
       "2:14: error: invalid YAML: this '\"' is never closed\n"
       "3:1: note: the YAML parser stopped here: end of map flow not found\n"},
      {"- a\n- b\n", "1:1: error: expected a mapping with the sections of a sketch, found a list\n"},
      {"blokcs: {}\n", "1:1: error: unknown key 'blokcs' in the sketch\nhelp: did you mean 'blocks'?\n"},
      {"zzz: 1\n", "1:1: error: unknown key 'zzz' in the sketch\n"
                   "help: the keys are sketch, weights, inputs, definitions, blocks, links, outputs\n"},
      {"blocks: [a]\n", "1:9: error: expected a mapping from block names to calls, found a list\n"},
      {"blocks:\n  a: Conv2d(3,, 4)\n", "2:15: error: expected an argument, found ','\n"},
      {"blocks:\n  a: \"Conv2d(3 4)\"\n",
       "2:16: error: expected ')' to close the arguments of 'Conv2d', found integer '4'\n"
       "2:13: note: to match this '('\n"},
      {"blocks:\n  a: 'it''s(3 4)'\n", "2:6: error: unterminated string\n"
                                     "help: close the string with ' before the end of the line\n"},
      {"blocks:\n  my-conv: ReLU()\n",
       "2:3: error: 'my-conv' is not a valid name for a block\n"
       "help: names are letters, digits and '_', not starting with a digit, and not keywords\n"},
      {"blocks:\n  a: {args: [1]}\n", "2:6: error: block 'a' has no 'op'\n"
                                       "help: add 'op: Linear' (the op or block to use)\n"},
      {"blocks:\n  a: {op: F, k: {x: 1}}\n",
       "2:17: error: expected a value, found a mapping\n"
       "help: write calls and tuples in text syntax, e.g. 'kernel_size: (3, 3)'\n"},
      {"inputs: [x]\n", "1:9: error: expected a mapping from input names to types, found a list\n"},
      {"inputs: {x: \"float32[N, 3\"}\n",
       "1:26: error: expected ']' to close the dimensions, found end of the string\n"
       "1:21: note: to match this '['\n"},
      {"links: [a -> ]\n", "1:13: error: expected a block or input name, found end of the string\n"},
      {"outputs: {y: a.}\n", "1:16: error: expected a port name or index after 'a.', found end of the string\n"},
      {"definitions:\n  B: {inputs: {x: 1}}\n",
       "2:15: error: inputs of a block definition have no type\nhelp: list their names, e.g. 'inputs: [x]'\n"},
      {"definitions:\n  B: {sketch: s}\n",
       "2:7: error: unknown key 'sketch' in a block definition\n"
       "help: the keys are params, inputs, definitions, blocks, links, outputs\n"},
      {"definitions:\n  B: {params: {a: 1, b: null}}\n",
       "2:22: error: parameter 'b' without a default follows parameter 'a', which has one\n"},
      {"sketch: [a, b", "1:9: error: invalid YAML: this '[' is never closed\n"
                        "1:14: note: the YAML parser stopped here: end of sequence flow not found\n"},
      {"sketch: a\nsketch: b\n", "2:1: error: duplicate key 'sketch' in the sketch\n1:1: note: first given here\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.yaml);
    CHECK(diagnosticsText(*parseText(c.yaml, true)) == c.diagnostics);
  }
}

TEST_CASE("yaml: nested definitions and params") {
  auto p = parseText(
      "definitions:\n"
      "  Outer:\n"
      "    params: [w]\n"
      "    inputs: [x]\n"
      "    definitions:\n"
      "      Inner: {params: {k: null, s: 2, m: \"same\", n: none}, inputs: [y], outputs: [y]}\n"
      "    blocks: {i: Inner(w)}\n"
      "    links: [x -> i]\n"
      "    outputs: {out: i}\n",
      true);
  CHECK(diagnosticsText(*p) == "");
  CHECK(printSketch(p->module) ==
        "block Outer(w) {\n"
        "  input x\n"
        "\n"
        "  block Inner(k, s=2, m=\"same\", n=none) {\n"
        "    input y\n"
        "    output y\n"
        "  }\n"
        "\n"
        "  i = Inner(w)\n"
        "  x -> i\n"
        "  output out = i\n"
        "}\n");
}

TEST_CASE("yaml: deep nesting is refused, not a crash") {
  std::string deep = "blocks: {a: {op: F, k: " + std::string(2000, '[') + std::string(2000, ']') + "}}\n";
  auto p = parseText(deep, true);
  CHECK(p->diags.hasErrors());
}

}  // namespace
}  // namespace sketch
