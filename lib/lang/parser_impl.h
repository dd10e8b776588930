// The parser's class, shared by parser.cpp (statements) and parse_expressions.cpp
// (calls, values, types and endpoints). Not part of the public interface: use parser.h.
//
// Error recovery is panic mode: `fail` reports one diagnostic and throws SyntaxError, which
// unwinds to the statement loop; the loop skips to the next statement and goes on, so every
// statement is checked and one mistake gives one message.
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "lang/ast.h"
#include "lang/lexer.h"

namespace sketch {

class Parser {
 public:
  /// Thrown after a syntax error has been reported; caught by the statement loop.
  struct SyntaxError {};
  /// Thrown when nesting exceeds kMaxNesting; ends the parse.
  struct NestingError {};

  Parser(const SourceText& source, DiagnosticEngine& diags);

  ast::Module parseModule();
  /// What the last failing statement left behind (see salvaged_), taken once.
  std::optional<ast::Statement> takeSalvaged();
  /// Parses one production over the whole text (YAML strings); newlines are insignificant.
  template <class Production>
  auto parseWhole(Production production) -> decltype((this->*production)());

  // Statements (parser.cpp).
  void parseStatementList(std::vector<ast::CommentedStatement>& out,
                          std::vector<std::string>& closingComments, bool inBlock);
  ast::Statement parseStatement(bool inBlock);
  ast::SketchDecl parseSketchDecl(bool inBlock);
  ast::WeightsDecl parseWeightsDecl(bool inBlock);
  ast::InputDecl parseInputDecl(bool inBlock);
  ast::OutputDecl parseOutputDecl();
  std::unique_ptr<ast::BlockDef> parseBlockDef();
  void parseParamList(ast::BlockDef& def);
  ast::BlockParam parseParam();
  ast::BlockDecl parseBlockDecl();
  ast::LinkChain parseLinkChain();
  [[noreturn]] void failAfterName(const Token& name);
  [[noreturn]] void reportKeywordAsName(const Token& keyword);
  std::vector<ast::Endpoint> parseStage();

  // Values, types and endpoints (parse_expressions.cpp).
  ast::Endpoint parseEndpoint();
  ast::TensorTypeExpr parseTensorType();
  ast::DimExpr parseDim();
  std::unique_ptr<ast::Expr> parseCall();
  ast::Argument parseArgument();
  std::unique_ptr<ast::Expr> parseExpr();
  std::unique_ptr<ast::Expr> parseTerm();
  std::unique_ptr<ast::Expr> parseUnary();
  std::unique_ptr<ast::Expr> parsePrimary();
  std::unique_ptr<ast::Expr> parseParenthesized();
  std::unique_ptr<ast::Expr> parseList();

 private:
  // Token cursor. peek() skips comments (keeping them for the statement's trailing
  // comment) and, inside ( ) and [ ], newlines.
  const Token& peek();
  const Token& peekSecond();
  Token advance();
  bool check(TokenKind kind) { return peek().kind == kind; }
  bool accept(TokenKind kind);
  Token expect(TokenKind kind, const std::string& context);
  /// Expects the bracket that closes `open`; a newline before anything else is reported as
  /// found, with a note at `open`.
  Token expectClose(TokenKind kind, const Token& open, const std::string& context);
  Token expectIdentifier(const std::string& context);
  [[noreturn]] void fail(const std::string& expected, const Token& found);
  std::string describe(const Token& token) const;
  std::string text(const Token& token) const { return std::string(src_.textOf(token)); }
  Span span(const Token& token) const { return src_.span(token); }
  Span spanFrom(const Token& first) const;
  uint32_t column(const Token& token) const;
  void recover(uint32_t statementColumn);
  std::string takeComments(size_t mark);

  /// Counts one level of ( or [ for as long as it lives. A syntax error leaves the count
  /// as it was where the error was found, so that recover() knows how many are open.
  struct BracketScope {
    explicit BracketScope(Parser& p) : p_(p), unwinding_(std::uncaught_exceptions()) {
      ++p_.bracketDepth_;
    }
    ~BracketScope() {
      if (std::uncaught_exceptions() == unwinding_) --p_.bracketDepth_;
    }
    Parser& p_;
    int unwinding_;
  };
  /// Counts one level of nesting; reports NestingTooDeep past kMaxNesting.
  struct NestingGuard {
    explicit NestingGuard(Parser& p);
    ~NestingGuard() { --p_.nesting_; }
    Parser& p_;
  };

  const SourceText& src_;
  DiagnosticEngine& diags_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  uint32_t previousEnd_ = 0;  // end offset of the last consumed token
  int bracketDepth_ = 0;
  int nesting_ = 0;
  bool wholeText_ = false;              // parsing a string of a YAML file, not a file
  size_t skippedNewline_ = 0;           // index + 1 of a newline peek() skipped, or 0
  std::vector<size_t> comments_;        // indices of comment tokens peek() skipped
  std::optional<ast::Statement> salvaged_;  // the readable part of a failing statement
};

template <class Production>
auto Parser::parseWhole(Production production) -> decltype((this->*production)()) {
  BracketScope scope(*this);
  wholeText_ = true;
  auto result = (this->*production)();
  if (!check(TokenKind::EndOfFile)) fail("the end of the text", peek());
  return result;
}

}  // namespace sketch
