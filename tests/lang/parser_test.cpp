#include "lang/parser.h"

#include <doctest/doctest.h>

#include "lang/printer.h"
#include "lang_test_support.h"

namespace sketch {
namespace {

using test::diagnosticsText;
using test::parseText;
using test::place;

template <class T>
const T& statementAt(const ast::Module& m, size_t i) {
  REQUIRE(i < m.statements.size());
  const T* s = std::get_if<T>(&m.statements[i].statement);
  REQUIRE(s != nullptr);
  return *s;
}

TEST_CASE("parser: statements") {
  auto p = parseText(
      "sketch net\n"
      "weights \"w.pt\"\n"
      "input image: float32[N, 3, 224, 224]\n"
      "conv = Conv2d(3, 16, kernel_size=3)\n"
      "(image, conv) -> cat.1 -> (a, b)\n"
      "output logits = fc.out\n"
      "output fc\n");
  CHECK(diagnosticsText(*p) == "");
  const ast::Module& m = p->module;
  REQUIRE(m.statements.size() == 7);
  CHECK(statementAt<ast::SketchDecl>(m, 0).name == "net");
  CHECK(statementAt<ast::WeightsDecl>(m, 1).path == "w.pt");

  const auto& input = statementAt<ast::InputDecl>(m, 2);
  CHECK(input.name == "image");
  REQUIRE(input.type);
  CHECK(input.type->dtype == "float32");
  REQUIRE(input.type->dims.size() == 4);
  CHECK(input.type->dims[0].symbol == "N");
  CHECK(*input.type->dims[1].size == 3);
  CHECK(place(p->sources, input.type->dims[3].span) == "3:33");

  const auto& conv = statementAt<ast::BlockDecl>(m, 3);
  CHECK(conv.name == "conv");
  CHECK(conv.call->text == "Conv2d");
  CHECK(place(p->sources, conv.call->calleeSpan) == "4:8");
  REQUIRE(conv.call->arguments.size() == 3);
  CHECK(conv.call->arguments[2].keyword == "kernel_size");
  CHECK(place(p->sources, conv.call->arguments[2].keywordSpan) == "4:22");
  CHECK(p->sources.text(conv.call->span) == "Conv2d(3, 16, kernel_size=3)");
  CHECK(p->sources.text(conv.span) == "conv = Conv2d(3, 16, kernel_size=3)");

  const auto& link = statementAt<ast::LinkChain>(m, 4);
  REQUIRE(link.stages.size() == 3);
  CHECK(link.stages[0].size() == 2);
  CHECK(link.stages[1][0].block == "cat");
  CHECK(link.stages[1][0].port == "1");
  CHECK(place(p->sources, link.stages[1][0].portSpan) == "5:22");
  CHECK(p->sources.text(link.stages[1][0].span) == "cat.1");
  REQUIRE(link.arrowSpans.size() == 2);
  CHECK(place(p->sources, link.arrowSpans[1]) == "5:24");

  const auto& named = statementAt<ast::OutputDecl>(m, 5);
  CHECK(named.named);
  CHECK(named.name == "logits");
  CHECK(named.source.port == "out");
  const auto& plain = statementAt<ast::OutputDecl>(m, 6);
  CHECK_FALSE(plain.named);
  CHECK(plain.name == "fc");
}

TEST_CASE("parser: values") {
  struct Case { const char* call; const char* printed; };
  const Case cases[] = {
      {"F(-1, - 2.5, -x)", "F(-1, -2.5, -x)"},
      {"F(a * (b + 1), (a * b) + 1, a - (b - c), (a - b) - c)", "F(a * (b + 1), a * b + 1, a - (b - c), a - b - c)"},
      {"F(p // 2 % 3, 7 / 2)", "F(p // 2 % 3, 7 / 2)"},
      {"F((), (1,), (1, 2,), [], [1, [2]])", "F((), (1,), (1, 2), [], [1, [2]])"},
      {"F(True, False, None, 'a')", "F(true, false, none, \"a\")"},
      {"F(1e-5, .5, 1.0, 3e8)", "F(1e-05, 0.5, 1.0, 3e+08)"},
      {"Sequential(A(1), B(k=C()))", "Sequential(A(1), B(k=C()))"},
      {"F(\n  1,\n  2\n)", "F(1, 2)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.call);
    auto p = parseText(std::string("x = ") + c.call);
    CHECK(diagnosticsText(*p) == "");
    if (p->module.statements.size() != 1) continue;
    CHECK(printExpr(*statementAt<ast::BlockDecl>(p->module, 0).call) == c.printed);
  }
}

TEST_CASE("parser: block definitions, comments and blank lines") {
  auto p = parseText(
      "# header\n"
      "\n"
      "block Res(c, s=1) {  # on the brace\n"
      "  input x\n"
      "\n"
      "  # before conv\n"
      "  conv = Conv2d(c, c, 3)  # after conv\n"
      "  x -> conv\n"
      "  output conv\n"
      "  # closing\n"
      "}\n"
      "# end\n");
  CHECK(diagnosticsText(*p) == "");
  const ast::Module& m = p->module;
  REQUIRE(m.statements.size() == 1);
  const auto& def = *statementAt<std::unique_ptr<ast::BlockDef>>(m, 0);
  CHECK(def.name == "Res");
  REQUIRE(def.params.size() == 2);
  CHECK(def.params[0].defaultValue == nullptr);
  CHECK(def.params[1].defaultValue->intValue == 1);
  CHECK(m.statements[0].comments.leading == std::vector<std::string>{" header"});
  CHECK(m.statements[0].comments.blankLineAfterLeading);
  CHECK(m.statements[0].comments.trailing == " on the brace");
  REQUIRE(def.body.size() == 4);
  CHECK(def.body[1].blankLineBefore);
  CHECK(def.body[1].comments.leading == std::vector<std::string>{" before conv"});
  CHECK(def.body[1].comments.trailing == " after conv");
  CHECK(def.closingComments == std::vector<std::string>{" closing"});
  CHECK(m.trailingComments == std::vector<std::string>{" end"});
}

TEST_CASE("parser: errors name what was being parsed") {
  struct Case { const char* text; const char* diagnostics; };
  const Case cases[] = {
      {"conv = Conv2d(3, 16\nrelu = ReLU()\n",
       "1:20: error: expected ')' to close the arguments of 'Conv2d', found newline\n"
       "1:14: note: to match this '('\n"},
      {"input x: float32[N, 3\n",
       "1:22: error: expected ']' to close the dimensions, found newline\n"
       "1:17: note: to match this '['\n"},
      {"input x y\n", "1:9: error: expected ':' and a type after input 'x', found identifier 'y'\n"},
      {"input x: [N]\n", "1:10: error: expected a type such as 'float32[N, 3, 224, 224]', found '['\n"},
      {"input x: f32[N, -1]\n",
       "1:17: error: expected a dimension (an integer or a symbol such as 'N'), found '-'\n"},
      {"conv Conv2d(3)\n", "1:6: error: expected '=' or '->' after 'conv', found identifier 'Conv2d'\n"},
      {"a.b\n", "1:4: error: expected '->', found newline\n"},
      {"a -> \n", "1:6: error: expected a block or input name, found newline\n"},
      {"a -> b.\n", "1:8: error: expected a port name or index after 'b.', found newline\n"},
      {"x = 3\n", "1:5: error: expected an op or block call after 'x =', found integer '3'\n"
                  "help: a block is declared as 'name = Op(arguments)', e.g. 'relu = ReLU()'\n"},
      {"x = ReLU\n", "1:9: error: expected '(' after 'ReLU', found newline\n"
                     "help: write 'ReLU()' to use the default arguments\n"},
      {"x = F(k=)\n", "1:9: error: expected a value after 'k=', found ')'\n"},
      {"x = F(1,, 2)\n", "1:9: error: expected an argument, found ','\n"},
      {"x = F(a=1, 2)\n", "1:12: error: positional argument follows keyword argument 'a'\n"},
      {"x = F((1, 2)\n",
       "1:13: error: expected ')' to close the arguments of 'F', found newline\n"
       "1:6: note: to match this '('\n"},
      {"x = F([1, 2)\n",
       "1:12: error: expected ']' to close the list, found ')'\n1:7: note: to match this '['\n"},
      {"sketch\n", "1:7: error: expected a name for the sketch, found newline\n"},
      {"weights w\n", "1:9: error: expected a string naming the weights file, found identifier 'w'\n"},
      {"= 3\n", "1:1: error: expected a statement, found '='\n"},
      {"}\n", "1:1: error: unexpected '}' outside a block definition\n"},
      {"a -> b c\n", "1:8: error: expected newline after the link, found identifier 'c'\n"},
      {"block B(a=1, b) {\n}\n",
       "1:14: error: parameter 'b' without a default follows parameter 'a', which has one\n"},
      {"block B {\n  sketch s\n  input x: f[1]\n}\n",
       "2:3: error: 'sketch' is only allowed at the top level, not inside a block definition\n"
       "3:10: error: inputs of a block definition have no type\n"
       "help: the type comes from what is linked to 'x'\n"},
      {"block B {\n  input x\n",
       "3:1: error: expected '}' to close block 'B', found end of file\n"
       "1:9: note: to match this '{'\n"},
      {"block B x\n", "1:9: error: expected '{' to start the body of block 'B', found identifier 'x'\n"},
      {"sketch true\n", "1:8: error: expected a name for the sketch, found keyword 'true'\n"},
      {"output = Linear(8)\n", "1:1: error: 'output' is a keyword and cannot name a block\n"
                              "help: choose another name, such as 'output_layer'\n"},
      {"block = ReLU()\n", "1:1: error: 'block' is a keyword and cannot name a block\n"
                          "help: choose another name, such as 'block_layer'\n"},
      {"x = F(p=0.5.1)\n", "1:9: error: invalid number '0.5.1'\n"},
      {"output logits fc\n", "1:15: error: expected '=' after 'output logits', found identifier 'fc'\n"
                            "help: write 'output logits = fc'\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(diagnosticsText(*parseText(c.text)) == c.diagnostics);
  }
}

TEST_CASE("parser: past the error limit, the note comes after the errors shown") {
  // The lexer's four errors come first and fill the limit; the parser's, on line 1, is the
  // first one left out.
  SourceManager sources;
  FileId file = sources.addFile("a.sketch", "x = = 1\n$ $ $ $\n");
  DiagnosticEngine diags(sources, 4);
  parseSketch(file, sources, diags);
  REQUIRE(diags.diagnostics().size() == 5);
  CHECK(diags.diagnostics()[0].kind == diag::InvalidCharacter);
  CHECK(diags.diagnostics()[3].kind == diag::InvalidCharacter);
  CHECK(diags.diagnostics()[4].kind == diag::TooManyErrors);
  CHECK(sources.lineColumn(file, diags.diagnostics()[4].span.begin).line == 1);
}

TEST_CASE("parser: reports every error and keeps the good statements") {
  auto p = parseText(
      "a = Conv2d(3 3)\n"
      "b = ReLU()\n"
      "c = Linear(\n"
      "  10,\n"
      "  20 30)\n"
      "d = $\n"
      "block B {\n"
      "  x -> \n"
      "  y = Z()\n"
      "}\n"
      "e = Sigmoid()\n");
  CHECK(diagnosticsText(*p) ==
        "1:14: error: expected ')' to close the arguments of 'Conv2d', found integer '3'\n"
        "1:11: note: to match this '('\n"
        "5:6: error: expected ')' to close the arguments of 'Linear', found integer '30'\n"
        "3:11: note: to match this '('\n"
        "6:5: error: invalid character '$' (U+0024)\n"
        "8:8: error: expected a block or input name, found newline\n");
  CHECK(printSketch(p->module) == "b = ReLU()\n\nblock B {\n  y = Z()\n}\n\ne = Sigmoid()\n");
}

TEST_CASE("parser: a broken statement keeps what it declares") {
  struct Case { const char* text; const char* name; bool invalid; };
  const Case blocks[] = {
      {"fc = Linear(16, 8\n", "fc", true},
      {"fc = 3\n", "fc", true},
      {"fc Linear(16, 8)\n", "fc", true},
      {"fc: Linear(16, 8)\n", "fc", true},
      {"fc = Linear(16, bias=false, 8)\n", "fc", true},
      {"fc = Linear(16, 8) $\n", "fc", false},
  };
  for (const Case& c : blocks) {
    CAPTURE(c.text);
    auto p = parseText(c.text);
    CHECK(diagnosticsText(*p) != "");
    const auto& decl = statementAt<ast::BlockDecl>(p->module, 0);
    CHECK(decl.name == c.name);
    CHECK(decl.invalid == c.invalid);
    CHECK((decl.call == nullptr) == c.invalid);
  }
  const Case inputs[] = {{"input x: float32[N\n", "x", true}, {"input x y\n", "x", true}};
  for (const Case& c : inputs) {
    CAPTURE(c.text);
    auto p = parseText(c.text);
    const auto& input = statementAt<ast::InputDecl>(p->module, 0);
    CHECK(input.name == c.name);
    CHECK(input.invalid);
  }
  // A top-level input without a type is the graph builder's to report.
  auto untyped = parseText("input x\n");
  CHECK(diagnosticsText(*untyped) == "");
  CHECK_FALSE(statementAt<ast::InputDecl>(untyped->module, 0).type);
  // A dangling arrow keeps the links before it.
  auto dangling = parseText("x -> fc ->\n");
  CHECK(diagnosticsText(*dangling) == "1:11: error: expected a block or input name, found newline\n");
  const auto& chain = statementAt<ast::LinkChain>(dangling->module, 0);
  CHECK(chain.stages.size() == 2);
  CHECK(chain.arrowSpans.size() == 1);
  CHECK(dangling->sources.text(chain.span) == "x -> fc");
  // Printers skip what is kept only for its name.
  CHECK(printSketch(parseText("a = F(1 2)\nb = G()\n")->module) == "b = G()\n");
}

TEST_CASE("parser: an unclosed bracket does not swallow the next statements") {
  auto p = parseText(
      "block B {\n"
      "  a = F(1\n"
      "  b = G()\n"
      "}\n");
  CHECK(diagnosticsText(*p) == "2:10: error: expected ')' to close the arguments of 'F', found newline\n"
                               "2:8: note: to match this '('\n");
  CHECK(printSketch(p->module) == "block B {\n  b = G()\n}\n");
  // An error inside open brackets skips their indented continuation lines.
  auto q = parseText("a = F(1 2,\n      k=3)\nb = G()\n");
  CHECK(diagnosticsText(*q) == "1:9: error: expected ')' to close the arguments of 'F', found integer '2'\n"
                               "1:6: note: to match this '('\n");
  CHECK(printSketch(q->module) == "b = G()\n");
}

TEST_CASE("parser: nesting is bounded") {
  std::string deep = "x = F(" + std::string(5000, '(') + "1" + std::string(5000, ')') + ")\n";
  auto p = parseText(deep + "y = G()\n");
  REQUIRE(p->diags.diagnostics().size() == 1);
  CHECK(p->diags.diagnostics()[0].kind == diag::NestingTooDeep);
  CHECK(p->diags.diagnostics()[0].message == "nesting is deeper than 256 levels");

  std::string blocks;
  for (int i = 0; i < 400; ++i) blocks += "block B {\n";
  auto q = parseText(blocks);
  REQUIRE(q->diags.diagnostics().size() == 1);
  CHECK(q->diags.diagnostics()[0].kind == diag::NestingTooDeep);

  auto r = parseText("x = F(" + std::string(3000, '-') + "1)\n");
  REQUIRE(r->diags.diagnostics().size() == 1);
  CHECK(r->diags.diagnostics()[0].kind == diag::NestingTooDeep);
}

TEST_CASE("parser: sub-productions map spans into the file") {
  SourceManager sources;
  DiagnosticEngine diags(sources);
  FileId file = sources.addFile("t.yaml", "blocks: {a: \"Conv2d(3,, 4)\"}\n");
  SourceText text{file, sources.text(file).substr(13, 13), 13, true, Span{file, 12, 27}};
  CHECK(parseCallText(text, diags) == nullptr);
  REQUIRE(diags.diagnostics().size() == 1);
  CHECK(place(sources, diags.diagnostics()[0].span) == "1:23");
  CHECK(diags.diagnostics()[0].message == "expected an argument, found ','");
}

TEST_CASE("parser: agrees with grammar/sketch.ebnf on the conformance files") {
  // tests/cmake/grammar.cmake checks the same files against the EBNF through Lark.
  for (const char* name : {"tiny_resnet.sketch", "constructs.sketch", "multiline.sketch",
                           "nested_blocks.sketch", "man_example.sketch"}) {
    CAPTURE(name);
    auto p = parseText(test::readFile(test::dataPath(name)));
    CHECK(diagnosticsText(*p) == "");
  }
  for (const char* name : {"unclosed_call.sketch", "typed_block_input.sketch", "keyword_name.sketch"}) {
    CAPTURE(name);
    std::string path = std::string(SKETCH_SOURCE_DIR) + "/tests/lang/grammar_bad/" + name;
    CHECK(parseText(test::readFile(path))->diags.hasErrors());
  }
}

TEST_CASE("parser: isIdentifier") {
  CHECK(isIdentifier("conv_1"));
  CHECK(isIdentifier("_x"));
  CHECK_FALSE(isIdentifier("1x"));
  CHECK_FALSE(isIdentifier("a-b"));
  CHECK_FALSE(isIdentifier("input"));
  CHECK_FALSE(isIdentifier("None"));
  CHECK_FALSE(isIdentifier(""));
}

}  // namespace
}  // namespace sketch
