#include "lang/printer.h"

#include <doctest/doctest.h>

#include "lang_test_support.h"

namespace sketch {
namespace {

using test::dataPath;
using test::diagnosticsText;
using test::parseText;
using test::readFile;

std::string fmtText(const std::string& text) {
  auto p = parseText(text);
  INFO(diagnosticsText(*p));
  CHECK_FALSE(p->diags.hasErrors());
  return printSketch(p->module);
}

std::string textToYaml(const std::string& text) {
  auto p = parseText(text);
  CHECK_FALSE(p->diags.hasErrors());
  return printYaml(p->module);
}

std::string yamlToText(const std::string& yaml) {
  auto p = parseText(yaml, true);
  INFO(diagnosticsText(*p));
  CHECK_FALSE(p->diags.hasErrors());
  return printSketch(p->module);
}

std::string yamlToYaml(const std::string& yaml) {
  auto p = parseText(yaml, true);
  CHECK_FALSE(p->diags.hasErrors());
  return printYaml(p->module);
}

const char* const kSketches[] = {"tiny_resnet.sketch", "constructs.sketch", "multiline.sketch",
                                 "nested_blocks.sketch", "man_example.sketch"};
const char* const kCommentFree[] = {"constructs.sketch", "nested_blocks.sketch"};
const char* const kYamls[] = {"tiny_resnet.yaml", "generated.yml", "man_example.yaml"};

TEST_CASE("printer: fmt is idempotent") {
  for (const char* name : kSketches) {
    CAPTURE(name);
    std::string once = fmtText(readFile(dataPath(name)));
    CHECK(fmtText(once) == once);
  }
}

TEST_CASE("printer: canonical test sketches are already canonical") {
  // constructs.sketch and multiline.sketch are written loosely on purpose.
  for (const char* name : {"tiny_resnet.sketch", "nested_blocks.sketch", "man_example.sketch"}) {
    CAPTURE(name);
    std::string text = readFile(dataPath(name));
    CHECK(fmtText(text) == text);
  }
}

TEST_CASE("printer: the two forms of sketch(5)'s example give the same text") {
  std::string text = fmtText(readFile(dataPath("man_example.sketch")));
  std::string withoutComments = text.substr(text.find('\n') + 1);  // its first line is a comment
  CHECK(yamlToText(readFile(dataPath("man_example.yaml"))) == withoutComments);
}

TEST_CASE("printer: text -> YAML -> text keeps comment-free sketches") {
  for (const char* name : kCommentFree) {
    CAPTURE(name);
    std::string canonical = fmtText(readFile(dataPath(name)));
    std::string yaml = textToYaml(canonical);
    CHECK(yamlToText(yaml) == canonical);
  }
}

TEST_CASE("printer: YAML -> text -> YAML is stable") {
  for (const char* name : kYamls) {
    CAPTURE(name);
    std::string yaml = yamlToYaml(readFile(dataPath(name)));
    CHECK(yamlToYaml(yaml) == yaml);
    CHECK(textToYaml(yamlToText(yaml)) == yaml);
  }
}

TEST_CASE("printer: layout") {
  struct Case { const char* text; const char* printed; };
  const Case cases[] = {
      {"sketch  s\ninput x:float32[N,3]\nweights 'w'\n", "sketch s\n\ninput x: float32[N, 3]\n\nweights \"w\"\n"},
      {"a=F( 1 ,k = 2 )\n\n\n\nb=G()\n", "a = F(1, k=2)\n\nb = G()\n"},
      {"a -> b\n(a,b)->(c , d.1)\n", "a -> b\n(a, b) -> (c, d.1)\n"},
      {"output y = y\noutput z = q\n", "output y\noutput z = q\n"},
      {"block B() {\ninput x\n}\n", "block B {\n  input x\n}\n"},
      {"#a\n#b\n\n\nx = F()   #t\n#end\n", "#a\n#b\n\nx = F()  #t\n#end\n"},
      {"block B { x -> y }\n", "block B {\n  x -> y\n}\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(fmtText(c.text) == c.printed);
  }
}

TEST_CASE("printer: long calls break one argument per line") {
  std::string args;
  for (int i = 0; i < 12; ++i) args += (i ? ", " : "") + std::string("Conv2d(64, 64, 3)");
  std::string printed = fmtText("block B {\n  layer = Sequential(" + args + ", mode=\"x\")\n}\n");
  std::string expected = "block B {\n  layer = Sequential(\n";
  for (int i = 0; i < 12; ++i) expected += "    Conv2d(64, 64, 3),\n";
  expected += "    mode=\"x\",\n  )\n}\n";
  CHECK(printed == expected);
  CHECK(fmtText(printed) == printed);
}

TEST_CASE("printer: floats read back to the same value") {
  const double values[] = {0.1, 1e-5, 3.0, 1.0 / 3.0, 6.02214076e23, 2.5e-300, 123456.789};
  for (double v : values) {
    CAPTURE(v);
    ast::Expr e;
    e.kind = ast::Expr::Kind::Float;
    e.floatValue = v;
    auto p = parseText("x = F(" + printExpr(e) + ")\n");
    const auto& decl = std::get<ast::BlockDecl>(p->module.statements.at(0).statement);
    CHECK(decl.call->arguments.at(0).value->kind == ast::Expr::Kind::Float);
    CHECK(decl.call->arguments.at(0).value->floatValue == v);
  }
}

TEST_CASE("printer: YAML quoting keeps values") {
  auto p = parseText(
      "weights \"my weights: v1.pt\"\n"
      "block B(s=\"a # b\", t=(\"x: y\",), u=[(1, 2)], v=null_) {\n"
      "  input x\n"
      "}\n");
  REQUIRE_FALSE(p->diags.hasErrors());
  std::string yaml = printYaml(p->module);
  CHECK(yaml ==
        "weights: \"my weights: v1.pt\"\n"
        "definitions:\n"
        "  B:\n"
        "    params:\n"
        "      s: \"a # b\"\n"
        "      t: !expr \"(\\\"x: y\\\",)\"\n"
        "      u: [!expr \"(1, 2)\"]\n"
        "      v: null_\n"
        "    inputs: [x]\n");
  CHECK(yamlToText(yaml) == printSketch(p->module));
}

}  // namespace
}  // namespace sketch
