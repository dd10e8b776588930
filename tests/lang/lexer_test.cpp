#include "lang/lexer.h"

#include <doctest/doctest.h>

#include "lang_test_support.h"

namespace sketch {
namespace {

struct Lexed {
  SourceManager sources;
  DiagnosticEngine diags{sources};
  std::vector<Token> tokens;
  std::string kinds;  // token kind names joined by spaces, end of file left out
};

std::unique_ptr<Lexed> lexText(const std::string& text) {
  auto l = std::make_unique<Lexed>();
  FileId file = l->sources.addFile("t.sketch", text);
  l->tokens = lex(SourceText::ofFile(file, l->sources), l->diags);
  for (const Token& t : l->tokens)
    if (t.kind != TokenKind::EndOfFile)
      l->kinds += (l->kinds.empty() ? "" : " ") + std::string(tokenKindName(t.kind));
  return l;
}

TEST_CASE("lexer: token kinds") {
  struct Case { const char* text; const char* kinds; };
  const Case cases[] = {
      {"conv = Conv2d(3, 16)", "identifier '=' identifier '(' integer ',' integer ')'"},
      {"a -> b.1 -> c.h_n", "identifier '->' identifier '.' integer '->' identifier '.' identifier"},
      {"x - y // 2 / 3 % 4 * 5 + 6",
       "identifier '-' identifier '//' integer '/' integer '%' integer '*' integer '+' integer"},
      {"1.0 1e-5 .5 2E+3 7", "float float float float integer"},
      {"f(.5)", "identifier '(' float ')'"},
      {"split.1", "identifier '.' integer"},
      {"\"a\\\"b\" 'c'", "string string"},
      {"sketch input output weights block", "'sketch' 'input' 'output' 'weights' 'block'"},
      {"true True false False none None", "'true' 'true' 'false' 'false' 'none' 'none'"},
      {"{ } [ ] : ,", "'{' '}' '[' ']' ':' ','"},
      {"a # note\n\tb\r\n", "identifier comment newline identifier newline"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto l = lexText(c.text);
    CHECK(l->kinds == c.kinds);
    CHECK(l->diags.diagnostics().empty());
  }
}

TEST_CASE("lexer: tokens point at their bytes") {
  auto l = lexText("ab = 'x y'  # c");
  REQUIRE(l->tokens.size() == 5);
  CHECK(l->tokens[0].offset == 0);
  CHECK(l->tokens[0].length == 2);
  CHECK(l->tokens[2].offset == 5);
  CHECK(l->tokens[2].length == 5);
  CHECK(l->tokens[3].kind == TokenKind::Comment);
  CHECK(l->tokens[3].offset == 12);
  CHECK(l->tokens[4].kind == TokenKind::EndOfFile);
  CHECK(l->tokens[4].offset == 15);
}

TEST_CASE("lexer: string escapes") {
  CHECK(stringValue("\"a\\nb\\t\\\\\\\"\"") == "a\nb\t\\\"");
  CHECK(stringValue("'it\\'s'") == "it's");
}

TEST_CASE("lexer: errors") {
  struct Case { const char* text; const char* diagnostics; };
  const Case cases[] = {
      {"a = $", "1:5: error: invalid character '$' (U+0024)\n"},
      {"a = b;", "1:6: error: invalid character ';' (U+003B)\n"
                 "help: statements end at a newline; remove the ';'\n"},
      {"x = \xc3\xa9", "1:5: error: invalid character '\xc3\xa9' (U+00E9)\n"},
      {"a\x01", "1:2: error: invalid character (U+0001)\n"},
      {"a = \xb9", "1:5: error: invalid byte 0xB9: the text is not UTF-8\n"},
      {"a = \xc0\xaf", "1:5: error: invalid byte 0xC0: the text is not UTF-8\n"
                       "1:6: error: invalid byte 0xAF: the text is not UTF-8\n"},
      {"a = \xe2\x82", "1:5: error: invalid byte 0xE2: the text is not UTF-8\n"
                       "1:6: error: invalid byte 0x82: the text is not UTF-8\n"},
      {"s = \"abc\nt", "1:5: error: unterminated string\n"
                       "help: close the string with \" before the end of the line\n"},
      {"s = 'ab\\q'", "1:8: error: unknown escape sequence '\\q' in string\n"
                      "help: valid escapes are \\\\, \\\", \\', \\n, \\t, \\r and \\0\n"},
      {"n = 12abc", "1:5: error: invalid number '12abc'\n"},
      {"n = 1e+", "1:5: error: invalid number '1e+'\n"},
      {"n = 0x1F", "1:5: error: invalid number '0x1F'\n"},
      {"n = 99999999999999999999",
       "1:5: error: integer '99999999999999999999' is too large\n"
       "help: integers are 64-bit: the largest is 9223372036854775807\n"},
      {"f = 1e400", "1:5: error: float '1e400' is out of range\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    auto l = lexText(c.text);
    std::string shown;
    for (const Diagnostic& d : l->diags.diagnostics()) {
      shown += test::place(l->sources, d.span) + ": error: " + d.message + "\n";
      if (!d.help.empty()) shown += "help: " + d.help + "\n";
    }
    CHECK(shown == c.diagnostics);
  }
}

}  // namespace
}  // namespace sketch
