#include "lang/parser.h"

#include <algorithm>
#include <cctype>

#include "lang/parser_impl.h"

namespace sketch {

Parser::Parser(const SourceText& source, DiagnosticEngine& diags)
    : src_(source), diags_(diags), tokens_(lex(source, diags)) {}

Parser::NestingGuard::NestingGuard(Parser& p) : p_(p) {
  if (++p_.nesting_ <= kMaxNesting) return;
  Token at = p_.peek();
  p_.diags_.report(diag::NestingTooDeep, p_.span(at),
                   "nesting is deeper than " + std::to_string(kMaxNesting) + " levels");
  --p_.nesting_;
  throw NestingError{};
}

// ---------------------------------------------------------------------------------------
// Token cursor

const Token& Parser::peek() {
  while (true) {
    const Token& t = tokens_[pos_];
    if (t.kind == TokenKind::Comment) {
      comments_.push_back(pos_++);
    } else if (t.kind == TokenKind::Newline && bracketDepth_ > 0) {
      if (!skippedNewline_) skippedNewline_ = pos_ + 1;
      ++pos_;
    } else {
      return t;
    }
  }
}

// The token after peek(), skipping comments but without collecting them twice.
const Token& Parser::peekSecond() {
  peek();
  for (size_t i = pos_ + 1; i < tokens_.size(); ++i) {
    TokenKind kind = tokens_[i].kind;
    if (kind == TokenKind::Comment) continue;
    if (kind == TokenKind::Newline && bracketDepth_ > 0) continue;
    return tokens_[i];
  }
  return tokens_.back();
}

Token Parser::advance() {
  Token t = peek();
  if (t.kind != TokenKind::EndOfFile) ++pos_;
  previousEnd_ = t.offset + t.length;
  skippedNewline_ = 0;
  return t;
}

bool Parser::accept(TokenKind kind) {
  if (!check(kind)) return false;
  advance();
  return true;
}

Token Parser::expect(TokenKind kind, const std::string& context) {
  if (!check(kind))
    fail(std::string(tokenKindName(kind)) + (context.empty() ? "" : " " + context), peek());
  return advance();
}

Token Parser::expectIdentifier(const std::string& context) {
  if (!check(TokenKind::Identifier)) fail("a name " + context, peek());
  return advance();
}

Token Parser::expectClose(TokenKind kind, const Token& open, const std::string& context) {
  const Token& next = peek();
  if (next.kind == kind) return advance();
  const Token& found = skippedNewline_ ? tokens_[skippedNewline_ - 1] : next;
  if (found.kind != TokenKind::Error) {
    Diagnostic& d = diags_.report(diag::UnexpectedToken, span(found),
                                  "expected " + std::string(tokenKindName(kind)) + " " +
                                      context + ", found " + describe(found));
    addNote(d, span(open), "to match this " + std::string(tokenKindName(open.kind)));
  }
  throw SyntaxError{};
}

void Parser::fail(const std::string& expected, const Token& found) {
  // An invalid token was reported by the lexer; a second message would only repeat it.
  if (found.kind != TokenKind::Error)
    diags_.report(diag::UnexpectedToken, span(found),
                  "expected " + expected + ", found " + describe(found));
  throw SyntaxError{};
}

std::string Parser::describe(const Token& token) const {
  switch (token.kind) {
    case TokenKind::Identifier: return "identifier '" + text(token) + "'";
    case TokenKind::Int: return "integer '" + text(token) + "'";
    case TokenKind::Float: return "float '" + text(token) + "'";
    case TokenKind::String: {
      std::string s = text(token);
      return "string " + (s.size() > 24 ? s.substr(0, 20) + "..." : s);
    }
    case TokenKind::EndOfFile: return wholeText_ ? "end of the string" : "end of file";
    default:
      if (isKeyword(token.kind)) return "keyword '" + text(token) + "'";
      return tokenKindName(token.kind);
  }
}

Span Parser::spanFrom(const Token& first) const {
  return src_.span(first.offset, std::max(previousEnd_, first.offset + first.length));
}

uint32_t Parser::column(const Token& token) const {
  uint32_t lineStart = token.offset;
  while (lineStart > 0 && src_.text[lineStart - 1] != '\n') --lineStart;
  return token.offset - lineStart;
}

// Skips the rest of a broken statement: to the newline that ends it, counting brackets.
// A bracket left open (the usual mistake) must not swallow the file, so a line that starts
// at or left of the statement's column also ends it (continuation lines are indented).
void Parser::recover(uint32_t statementColumn) {
  // An error reported at a skipped newline ("found newline") resumes from that newline.
  if (skippedNewline_) pos_ = skippedNewline_ - 1;
  skippedNewline_ = 0;
  int parens = bracketDepth_;
  int braces = 0;
  while (true) {
    const Token& t = tokens_[pos_];
    switch (t.kind) {
      case TokenKind::EndOfFile: return;
      case TokenKind::LParen: case TokenKind::LBracket: ++parens; break;
      case TokenKind::RParen: case TokenKind::RBracket: --parens; break;
      case TokenKind::LBrace: ++braces; break;
      case TokenKind::RBrace:
        if (braces == 0) return;
        --braces;
        break;
      case TokenKind::Newline: {
        if (braces > 0) break;
        if (parens <= 0) return;
        size_t next = pos_ + 1;
        while (tokens_[next].kind == TokenKind::Newline || tokens_[next].kind == TokenKind::Comment)
          ++next;
        TokenKind k = tokens_[next].kind;
        bool closer = k == TokenKind::RParen || k == TokenKind::RBracket;
        if (!closer && column(tokens_[next]) <= statementColumn) return;
        break;
      }
      default: break;
    }
    ++pos_;
  }
}

std::optional<ast::Statement> Parser::takeSalvaged() {
  std::optional<ast::Statement> taken = std::move(salvaged_);
  salvaged_.reset();
  return taken;
}

std::string Parser::takeComments(size_t mark) {
  std::string joined;
  for (size_t i = mark; i < comments_.size(); ++i)
    joined += (joined.empty() ? "" : " #") + text(tokens_[comments_[i]]).substr(1);
  comments_.resize(mark);
  return joined;
}

// ---------------------------------------------------------------------------------------
// Statements

ast::Module Parser::parseModule() {
  ast::Module module;
  module.file = src_.file;
  try {
    parseStatementList(module.statements, module.trailingComments, false);
  } catch (const NestingError&) {
    // Already reported; what follows a runaway nest cannot be parsed meaningfully.
  }
  return module;
}

namespace {

const char* statementName(const ast::Statement& s) {
  switch (s.index()) {
    case 0: return "the sketch name";
    case 1: return "the weights file";
    case 2: return "the input";
    case 3: return "the block";
    case 4: return "the link";
    case 5: return "the output";
    default: return "the block definition";
  }
}

}  // namespace

// statement_list: statements separated by newlines, with comments and blank lines kept.
void Parser::parseStatementList(std::vector<ast::CommentedStatement>& out,
                                std::vector<std::string>& closingComments, bool inBlock) {
  ast::CommentedStatement next;
  int newlinesInRow = inBlock ? 0 : 1;  // the start of a file counts as a line start
  while (true) {
    const Token& t = tokens_[pos_];
    if (t.kind == TokenKind::Newline) {
      ++pos_;
      if (++newlinesInRow < 2) continue;
      (next.comments.leading.empty() ? next.blankLineBefore : next.comments.blankLineAfterLeading) = true;
      continue;
    }
    if (t.kind == TokenKind::Comment) {
      next.comments.leading.push_back(text(t).substr(1));
      next.comments.blankLineAfterLeading = false;  // blank lines between comments are not kept
      newlinesInRow = 0;
      ++pos_;
      continue;
    }
    if (t.kind == TokenKind::EndOfFile || (t.kind == TokenKind::RBrace && inBlock)) {
      closingComments = std::move(next.comments.leading);
      return;
    }
    newlinesInRow = 0;
    bracketDepth_ = 0;
    size_t mark = comments_.size();
    uint32_t statementColumn = column(t);
    try {
      next.statement = parseStatement(inBlock);
      const Token& end = peek();
      bool ends = end.kind == TokenKind::Newline || end.kind == TokenKind::EndOfFile ||
                  (end.kind == TokenKind::RBrace && inBlock);
      if (!ends) {
        // The statement itself is complete (`fc = Linear(16, 8) $`): keep it.
        std::string what = statementName(next.statement);
        salvaged_ = std::move(next.statement);
        fail("newline after " + what, end);
      }
      next.comments.trailing = takeComments(mark);
      out.push_back(std::move(next));
    } catch (const SyntaxError&) {
      comments_.resize(mark);
      recover(statementColumn);
      bracketDepth_ = 0;
      if (std::optional<ast::Statement> salvaged = takeSalvaged()) {
        next.statement = std::move(*salvaged);
        out.push_back(std::move(next));
      }
    }
    next = ast::CommentedStatement();
  }
}

ast::Statement Parser::parseStatement(bool inBlock) {
  const Token& t = peek();
  if (isKeyword(t.kind) && peekSecond().kind == TokenKind::Equal) reportKeywordAsName(t);
  switch (t.kind) {
    case TokenKind::KwSketch: return parseSketchDecl(inBlock);
    case TokenKind::KwWeights: return parseWeightsDecl(inBlock);
    case TokenKind::KwInput: return parseInputDecl(inBlock);
    case TokenKind::KwOutput: return parseOutputDecl();
    case TokenKind::KwBlock: return parseBlockDef();
    case TokenKind::Identifier:
      if (peekSecond().kind == TokenKind::Equal) return parseBlockDecl();
      return parseLinkChain();
    case TokenKind::LParen: return parseLinkChain();
    case TokenKind::RBrace:
      diags_.report(diag::UnexpectedToken, span(t), "unexpected '}' outside a block definition");
      advance();
      throw SyntaxError{};
    default: break;
  }
  fail("a statement", t);
}

// `output = Linear(8)`: a keyword where a block's name goes.
void Parser::reportKeywordAsName(const Token& keyword) {
  std::string word = text(keyword);
  diags_.report(diag::UnexpectedToken, span(keyword),
                "'" + word + "' is a keyword and cannot name a block")
      .help = "choose another name, such as '" + word + "_layer'";
  throw SyntaxError{};
}

namespace {
void reportTopLevelOnly(DiagnosticEngine& diags, Span at, const char* keyword) {
  diags.report(diag::MisplacedStatement, at,
               std::string("'") + keyword + "' is only allowed at the top level, not inside a block definition");
}
}  // namespace

// sketch_decl ::= 'sketch' IDENT
ast::SketchDecl Parser::parseSketchDecl(bool inBlock) {
  Token keyword = advance();
  if (inBlock) reportTopLevelOnly(diags_, span(keyword), "sketch");
  Token name = expectIdentifier("for the sketch");
  return {text(name), spanFrom(keyword)};
}

// weights_decl ::= 'weights' STRING
ast::WeightsDecl Parser::parseWeightsDecl(bool inBlock) {
  Token keyword = advance();
  if (inBlock) reportTopLevelOnly(diags_, span(keyword), "weights");
  if (!check(TokenKind::String)) fail("a string naming the weights file", peek());
  Token path = advance();
  return {stringValue(src_.textOf(path)), spanFrom(keyword), span(path)};
}

// input_decl ::= 'input' IDENT ':' tensor_type      (top level)
// block_input ::= 'input' IDENT                     (inside a block definition)
ast::InputDecl Parser::parseInputDecl(bool inBlock) {
  Token keyword = advance();
  ast::InputDecl input;
  Token name = expectIdentifier("for the input");
  input.name = text(name);
  input.nameSpan = span(name);
  try {
    // `input x` alone at the top level is left to the graph builder ("needs a type").
    if (!inBlock && !check(TokenKind::Newline) && !check(TokenKind::EndOfFile)) {
      expect(TokenKind::Colon, "and a type after input '" + input.name + "'");
      input.type = parseTensorType();
    } else if (inBlock && check(TokenKind::Colon)) {
      Token colon = advance();
      parseTensorType();
      diags_.report(diag::MisplacedStatement, spanFrom(colon),
                    "inputs of a block definition have no type")
          .help = "the type comes from what is linked to '" + input.name + "'";
    }
  } catch (const SyntaxError&) {
    // The name is kept, so uses of it stay silent; a block's input needs no type anyway.
    input.type.reset();
    input.invalid = !inBlock;
    input.span = spanFrom(keyword);
    salvaged_ = std::move(input);
    throw;
  }
  input.span = spanFrom(keyword);
  return input;
}

// output_decl ::= 'output' (IDENT '=')? endpoint
ast::OutputDecl Parser::parseOutputDecl() {
  Token keyword = advance();
  ast::OutputDecl output;
  if (check(TokenKind::Identifier) && peekSecond().kind == TokenKind::Equal) {
    Token name = advance();
    output.name = text(name);
    output.nameSpan = span(name);
    output.named = true;
    advance();
  }
  output.source = parseEndpoint();
  if (!output.named && output.source.port.empty() && check(TokenKind::Identifier)) {
    Token found = peek();
    diags_.report(diag::UnexpectedToken, span(found),
                  "expected '=' after 'output " + output.source.block + "', found " +
                      describe(found))
        .help = "write 'output " + output.source.block + " = " + text(found) + "'";
    throw SyntaxError{};
  }
  if (!output.named) {
    output.name = output.source.block;
    output.nameSpan = output.source.span;
  }
  output.span = spanFrom(keyword);
  return output;
}

// block_def ::= 'block' IDENT param_list? '{' block_body '}'
std::unique_ptr<ast::BlockDef> Parser::parseBlockDef() {
  NestingGuard guard(*this);
  Token keyword = advance();
  auto def = std::make_unique<ast::BlockDef>();
  Token name = expectIdentifier("for the block definition");
  def->name = text(name);
  def->nameSpan = span(name);
  if (check(TokenKind::LParen)) parseParamList(*def);
  Token open = expect(TokenKind::LBrace, "to start the body of block '" + def->name + "'");
  if (tokens_[pos_].kind == TokenKind::Comment) comments_.push_back(pos_++);
  parseStatementList(def->body, def->closingComments, true);
  if (tokens_[pos_].kind != TokenKind::RBrace) {
    Diagnostic& d = diags_.report(diag::UnexpectedToken, span(tokens_[pos_]),
                                  "expected '}' to close block '" + def->name + "', found " +
                                      describe(tokens_[pos_]));
    addNote(d, span(open), "to match this '{'");
    throw SyntaxError{};
  }
  previousEnd_ = tokens_[pos_].offset + 1;
  ++pos_;
  def->span = spanFrom(keyword);
  return def;
}

// param_list ::= '(' (param (',' param)* ','?)? ')'
void Parser::parseParamList(ast::BlockDef& def) {
  Token open = advance();
  BracketScope scope(*this);
  std::string firstDefault;  // Python's rule: no parameter without a default after one with
  while (!check(TokenKind::RParen)) {
    def.params.push_back(parseParam());
    const ast::BlockParam& param = def.params.back();
    if (param.defaultValue && firstDefault.empty()) firstDefault = param.name;
    if (!param.defaultValue && !firstDefault.empty())
      diags_.report(diag::UnexpectedToken, param.span,
                    "parameter '" + param.name + "' without a default follows parameter '" +
                        firstDefault + "', which has one");
    if (!accept(TokenKind::Comma)) break;
  }
  expectClose(TokenKind::RParen, open, "to close the parameters of block '" + def.name + "'");
}

// param ::= IDENT ('=' expr)?
ast::BlockParam Parser::parseParam() {
  Token name = expectIdentifier("for a parameter");
  ast::BlockParam param{text(name), span(name), nullptr};
  if (accept(TokenKind::Equal)) param.defaultValue = parseExpr();
  param.span = spanFrom(name);
  return param;
}

// block_decl ::= IDENT '=' call
ast::BlockDecl Parser::parseBlockDecl() {
  Token name = advance();
  advance();  // '='
  ast::BlockDecl decl;
  decl.name = text(name);
  decl.nameSpan = span(name);
  size_t errorsBefore = diags_.errorCount();
  try {
    if (!check(TokenKind::Identifier)) {
      Token found = peek();
      if (found.kind != TokenKind::Error)
        diags_.report(diag::UnexpectedToken, span(found),
                      "expected an op or block call after '" + decl.name + " =', found " +
                          describe(found))
            .help = "a block is declared as 'name = Op(arguments)', e.g. 'relu = ReLU()'";
      throw SyntaxError{};
    }
    decl.call = parseCall();
  } catch (const SyntaxError&) {
    decl.span = spanFrom(name);
    decl.call.reset();
    decl.invalid = true;
    salvaged_ = std::move(decl);
    throw;
  }
  decl.span = spanFrom(name);
  // A reported mistake the call recovered from (a positional argument after a keyword):
  // binding the rest would only add follow-on errors.
  if (diags_.errorCount() != errorsBefore) {
    decl.call.reset();
    decl.invalid = true;
  }
  return decl;
}

// link_chain ::= stage ('->' stage)+
ast::LinkChain Parser::parseLinkChain() {
  Token first = peek();
  ast::LinkChain chain;
  chain.stages.push_back(parseStage());
  if (!check(TokenKind::Arrow)) {
    const std::vector<ast::Endpoint>& only = chain.stages.front();
    bool bareName = only.size() == 1 && only[0].port.empty() && first.kind == TokenKind::Identifier;
    if (bareName) failAfterName(first);
    fail("'->'", peek());
  }
  while (check(TokenKind::Arrow)) {
    Span prefix = spanFrom(first);
    Token arrow = advance();
    try {
      chain.stages.push_back(parseStage());
    } catch (const SyntaxError&) {
      // `x -> fc ->`: the links before the broken stage are kept, so 'fc' is not unlinked.
      if (chain.stages.size() > 1) {
        chain.span = prefix;
        salvaged_ = std::move(chain);
      }
      throw;
    }
    chain.arrowSpans.push_back(span(arrow));
  }
  chain.span = spanFrom(first);
  return chain;
}

// A name alone, then not '->'. `fc Linear(16, 8)` and `fc: Linear(16, 8)` are declarations
// without their '=': the name is kept as a broken declaration, so uses of it stay silent.
void Parser::failAfterName(const Token& name) {
  const Token& found = peek();
  if (found.kind == TokenKind::Identifier || found.kind == TokenKind::Colon) {
    ast::BlockDecl decl;
    decl.name = text(name);
    decl.nameSpan = span(name);
    decl.span = spanFrom(name);
    decl.invalid = true;
    salvaged_ = std::move(decl);
  }
  fail("'=' or '->' after '" + text(name) + "'", found);
}

// stage ::= endpoint | '(' endpoint (',' endpoint)* ','? ')'
std::vector<ast::Endpoint> Parser::parseStage() {
  if (!check(TokenKind::LParen)) return {parseEndpoint()};
  Token open = advance();
  BracketScope scope(*this);
  std::vector<ast::Endpoint> endpoints;
  do {
    if (check(TokenKind::RParen) && !endpoints.empty()) break;
    endpoints.push_back(parseEndpoint());
  } while (accept(TokenKind::Comma));
  expectClose(TokenKind::RParen, open, "to close the group of endpoints");
  return endpoints;
}

// ---------------------------------------------------------------------------------------
// Entry points

// The lexer runs ahead of the parser, so its reports are collected apart and merged with
// the parser's in source order: a reader sees a file's problems top to bottom.
ast::Module parseSketch(FileId file, const SourceManager& sources, DiagnosticEngine& diags) {
  SourceText source = SourceText::ofFile(file, sources);
  DiagnosticEngine local(sources, diags.errorLimit());
  ast::Module module = Parser(source, local).parseModule();
  local.sortByLocation();
  for (const Diagnostic& d : local.diagnostics()) {
    Diagnostic& copy = diags.report(d.kind, d.span, d.message);
    copy.notes = d.notes;
    copy.help = d.help;
  }
  return module;
}

namespace {
// A text with a reported error gives nothing, even when the parser recovered (a positional
// argument after a keyword): its reader keeps the name, and uses of it stay silent.
template <class Result, class Production>
Result parseText(const SourceText& source, DiagnosticEngine& diags, Production production) {
  size_t errorsBefore = diags.errorCount();
  Parser parser(source, diags);
  try {
    Result result(parser.parseWhole(production));
    if (diags.errorCount() == errorsBefore) return result;
  } catch (const Parser::SyntaxError&) {
  } catch (const Parser::NestingError&) {
  }
  return Result();
}
}  // namespace

std::unique_ptr<ast::Expr> parseCallText(const SourceText& source, DiagnosticEngine& diags) {
  return parseText<std::unique_ptr<ast::Expr>>(source, diags, &Parser::parseCall);
}

std::unique_ptr<ast::Expr> parseExprText(const SourceText& source, DiagnosticEngine& diags) {
  return parseText<std::unique_ptr<ast::Expr>>(source, diags, &Parser::parseExpr);
}

// `x -> fc ->` keeps its valid prefix, as in a file.
std::optional<ast::LinkChain> parseLinkText(const SourceText& source, DiagnosticEngine& diags) {
  Parser parser(source, diags);
  try {
    return parser.parseWhole(&Parser::parseLinkChain);
  } catch (const Parser::SyntaxError&) {
    std::optional<ast::Statement> salvaged = parser.takeSalvaged();
    if (salvaged && std::holds_alternative<ast::LinkChain>(*salvaged))
      return std::get<ast::LinkChain>(std::move(*salvaged));
  } catch (const Parser::NestingError&) {
  }
  return std::nullopt;
}

std::optional<ast::TensorTypeExpr> parseTensorTypeText(const SourceText& source,
                                                       DiagnosticEngine& diags) {
  return parseText<std::optional<ast::TensorTypeExpr>>(source, diags, &Parser::parseTensorType);
}

std::optional<ast::Endpoint> parseEndpointText(const SourceText& source,
                                               DiagnosticEngine& diags) {
  return parseText<std::optional<ast::Endpoint>>(source, diags, &Parser::parseEndpoint);
}

bool isIdentifier(std::string_view text) {
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_'))
    return false;
  for (char c : text)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  SourceManager none;
  DiagnosticEngine quiet(none);
  SourceText source{0, text, 0, true, Span{}};
  return lex(source, quiet).front().kind == TokenKind::Identifier;
}

std::string identifierFor(const std::string& name) {
  if (isIdentifier(name)) return name;
  std::string s;
  for (char c : name) s += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) s = "_" + s;
  return isIdentifier(s) ? s : s + "_";
}

bool isBlockPath(std::string_view text) {
  for (size_t begin = 0;;) {
    size_t dot = text.find('.', begin);
    std::string_view part = text.substr(begin, dot == std::string_view::npos ? dot : dot - begin);
    bool index = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    });
    if (!index && !isIdentifier(part)) return false;
    if (dot == std::string_view::npos) return true;
    begin = dot + 1;
  }
}

}  // namespace sketch
