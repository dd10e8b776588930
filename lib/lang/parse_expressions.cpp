// Productions below the statement level: endpoints, tensor types, calls and values.
#include <cstdlib>

#include "lang/parser_impl.h"

namespace sketch {

namespace {

std::unique_ptr<ast::Expr> makeExpr(ast::Expr::Kind kind, Span span) {
  auto e = std::make_unique<ast::Expr>();
  e->kind = kind;
  e->span = span;
  return e;
}

bool startsExpression(TokenKind kind) {
  switch (kind) {
    case TokenKind::Int: case TokenKind::Float: case TokenKind::String:
    case TokenKind::KwTrue: case TokenKind::KwFalse: case TokenKind::KwNone:
    case TokenKind::Identifier: case TokenKind::LParen: case TokenKind::LBracket:
    case TokenKind::Minus:
      return true;
    default:
      return false;
  }
}

const char* binaryOperator(TokenKind kind, bool additive) {
  if (additive) {
    if (kind == TokenKind::Plus) return "+";
    if (kind == TokenKind::Minus) return "-";
    return nullptr;
  }
  switch (kind) {
    case TokenKind::Star: return "*";
    case TokenKind::Slash: return "/";
    case TokenKind::SlashSlash: return "//";
    case TokenKind::Percent: return "%";
    default: return nullptr;
  }
}

}  // namespace

// endpoint ::= IDENT ('.' port)?      port ::= IDENT | INT | keyword
ast::Endpoint Parser::parseEndpoint() {
  if (!check(TokenKind::Identifier)) fail("a block or input name", peek());
  Token name = advance();
  ast::Endpoint endpoint;
  endpoint.block = text(name);
  if (accept(TokenKind::Dot)) {
    const Token& port = peek();
    bool valid = port.kind == TokenKind::Identifier || port.kind == TokenKind::Int ||
                 isKeyword(port.kind);
    if (!valid) fail("a port name or index after '" + endpoint.block + ".'", port);
    endpoint.port = text(port);
    endpoint.portSpan = span(advance());
  }
  endpoint.span = spanFrom(name);
  return endpoint;
}

// tensor_type ::= IDENT '[' (dim (',' dim)* ','?)? ']'
ast::TensorTypeExpr Parser::parseTensorType() {
  if (!check(TokenKind::Identifier)) fail("a type such as 'float32[N, 3, 224, 224]'", peek());
  Token dtype = advance();
  ast::TensorTypeExpr type;
  type.dtype = text(dtype);
  type.dtypeSpan = span(dtype);
  Token open = expect(TokenKind::LBracket, "after '" + type.dtype + "' to start the dimensions");
  BracketScope scope(*this);
  while (!check(TokenKind::RBracket)) {
    type.dims.push_back(parseDim());
    if (!accept(TokenKind::Comma)) break;
  }
  expectClose(TokenKind::RBracket, open, "to close the dimensions");
  type.span = spanFrom(dtype);
  return type;
}

// dim ::= INT | IDENT
ast::DimExpr Parser::parseDim() {
  const Token& t = peek();
  ast::DimExpr dim;
  dim.span = span(t);
  if (t.kind == TokenKind::Int) {
    dim.size = std::strtoll(text(t).c_str(), nullptr, 10);
  } else if (t.kind == TokenKind::Identifier) {
    dim.symbol = text(t);
  } else {
    fail("a dimension (an integer or a symbol such as 'N')", t);
  }
  advance();
  return dim;
}

// call ::= IDENT '(' (argument (',' argument)* ','?)? ')'
std::unique_ptr<ast::Expr> Parser::parseCall() {
  if (!check(TokenKind::Identifier)) fail("an op or block name", peek());
  Token callee = advance();
  auto call = makeExpr(ast::Expr::Kind::Call, span(callee));
  call->text = text(callee);
  call->calleeSpan = span(callee);
  if (!check(TokenKind::LParen)) {
    const Token& found = peek();
    if (found.kind != TokenKind::Error)
      diags_.report(diag::UnexpectedToken, span(found),
                    "expected '(' after '" + call->text + "', found " + describe(found))
          .help = "write '" + call->text + "()' to use the default arguments";
    throw SyntaxError{};
  }
  Token open = advance();
  BracketScope scope(*this);
  std::string firstKeyword;
  while (!check(TokenKind::RParen)) {
    ast::Argument argument = parseArgument();
    if (argument.keyword.empty() && !firstKeyword.empty())
      diags_.report(diag::UnexpectedToken, argument.value->span,
                    "positional argument follows keyword argument '" + firstKeyword + "'");
    if (!argument.keyword.empty() && firstKeyword.empty()) firstKeyword = argument.keyword;
    call->arguments.push_back(std::move(argument));
    if (!accept(TokenKind::Comma)) break;
  }
  expectClose(TokenKind::RParen, open, "to close the arguments of '" + call->text + "'");
  call->span = spanFrom(callee);
  return call;
}

// argument ::= (IDENT '=')? expr
ast::Argument Parser::parseArgument() {
  ast::Argument argument;
  std::string after = "an argument";
  if (check(TokenKind::Identifier) && peekSecond().kind == TokenKind::Equal) {
    Token keyword = advance();
    advance();
    argument.keyword = text(keyword);
    argument.keywordSpan = span(keyword);
    after = "a value after '" + argument.keyword + "='";
  }
  if (!startsExpression(peek().kind)) fail(after, peek());
  argument.value = parseExpr();
  return argument;
}

// expr ::= term (('+' | '-') term)*
std::unique_ptr<ast::Expr> Parser::parseExpr() {
  Token first = peek();
  std::unique_ptr<ast::Expr> lhs = parseTerm();
  while (const char* op = binaryOperator(peek().kind, true)) {
    advance();
    auto binary = makeExpr(ast::Expr::Kind::Binary, {});
    binary->text = op;
    binary->items.push_back(std::move(lhs));
    binary->items.push_back(parseTerm());
    binary->span = spanFrom(first);
    lhs = std::move(binary);
  }
  return lhs;
}

// term ::= unary (('*' | '/' | '//' | '%') unary)*
std::unique_ptr<ast::Expr> Parser::parseTerm() {
  Token first = peek();
  std::unique_ptr<ast::Expr> lhs = parseUnary();
  while (const char* op = binaryOperator(peek().kind, false)) {
    advance();
    auto binary = makeExpr(ast::Expr::Kind::Binary, {});
    binary->text = op;
    binary->items.push_back(std::move(lhs));
    binary->items.push_back(parseUnary());
    binary->span = spanFrom(first);
    lhs = std::move(binary);
  }
  return lhs;
}

// unary ::= '-' unary | primary
// A minus before a number literal is folded into it, so `-1` is the int -1 as in YAML.
std::unique_ptr<ast::Expr> Parser::parseUnary() {
  NestingGuard guard(*this);
  if (!check(TokenKind::Minus)) return parsePrimary();
  Token minus = advance();
  std::unique_ptr<ast::Expr> operand = parseUnary();
  if (operand->kind == ast::Expr::Kind::Int || operand->kind == ast::Expr::Kind::Float) {
    if (operand->kind == ast::Expr::Kind::Int)
      operand->intValue = -operand->intValue;
    else
      operand->floatValue = -operand->floatValue;
    operand->span = spanFrom(minus);
    return operand;
  }
  auto unary = makeExpr(ast::Expr::Kind::Unary, {});
  unary->text = "-";
  unary->items.push_back(std::move(operand));
  unary->span = spanFrom(minus);
  return unary;
}

// primary ::= INT | FLOAT | STRING | 'true' | 'false' | 'none' | call | IDENT
//           | parenthesized | list
std::unique_ptr<ast::Expr> Parser::parsePrimary() {
  const Token& t = peek();
  using Kind = ast::Expr::Kind;
  std::unique_ptr<ast::Expr> e;
  switch (t.kind) {
    case TokenKind::Int:
      e = makeExpr(Kind::Int, span(t));
      e->intValue = std::strtoll(text(t).c_str(), nullptr, 10);
      break;
    case TokenKind::Float:
      e = makeExpr(Kind::Float, span(t));
      e->floatValue = std::strtod(text(t).c_str(), nullptr);
      break;
    case TokenKind::String:
      e = makeExpr(Kind::String, span(t));
      e->text = stringValue(src_.textOf(t));
      break;
    case TokenKind::KwTrue: case TokenKind::KwFalse:
      e = makeExpr(Kind::Bool, span(t));
      e->boolValue = t.kind == TokenKind::KwTrue;
      break;
    case TokenKind::KwNone:
      e = makeExpr(Kind::None, span(t));
      break;
    case TokenKind::Identifier:
      if (peekSecond().kind == TokenKind::LParen) return parseCall();
      e = makeExpr(Kind::Name, span(t));
      e->text = text(t);
      break;
    case TokenKind::LParen: return parseParenthesized();
    case TokenKind::LBracket: return parseList();
    default: fail("a value", t);
  }
  advance();
  return e;
}

// parenthesized ::= '(' ')' | '(' expr ')' | '(' expr ',' (expr (',' expr)* ','?)? ')'
std::unique_ptr<ast::Expr> Parser::parseParenthesized() {
  Token open = advance();
  BracketScope scope(*this);
  auto tuple = makeExpr(ast::Expr::Kind::Tuple, {});
  if (!check(TokenKind::RParen)) {
    std::unique_ptr<ast::Expr> first = parseExpr();
    if (!accept(TokenKind::Comma)) {
      expectClose(TokenKind::RParen, open, "to close the parentheses");
      return first;
    }
    tuple->items.push_back(std::move(first));
    while (!check(TokenKind::RParen)) {
      tuple->items.push_back(parseExpr());
      if (!accept(TokenKind::Comma)) break;
    }
  }
  expectClose(TokenKind::RParen, open, "to close the tuple");
  tuple->span = spanFrom(open);
  return tuple;
}

// list ::= '[' (expr (',' expr)* ','?)? ']'
std::unique_ptr<ast::Expr> Parser::parseList() {
  Token open = advance();
  BracketScope scope(*this);
  auto list = makeExpr(ast::Expr::Kind::List, {});
  while (!check(TokenKind::RBracket)) {
    list->items.push_back(parseExpr());
    if (!accept(TokenKind::Comma)) break;
  }
  expectClose(TokenKind::RBracket, open, "to close the list");
  list->span = spanFrom(open);
  return list;
}

}  // namespace sketch
