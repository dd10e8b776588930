#include "lang/lexer.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/utf8.h"

namespace sketch {

const char* tokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::EndOfFile: return "end of file";
    case TokenKind::Newline: return "newline";
    case TokenKind::Comment: return "comment";
    case TokenKind::Identifier: return "identifier";
    case TokenKind::Int: return "integer";
    case TokenKind::Float: return "float";
    case TokenKind::String: return "string";
    case TokenKind::KwSketch: return "'sketch'";
    case TokenKind::KwInput: return "'input'";
    case TokenKind::KwOutput: return "'output'";
    case TokenKind::KwWeights: return "'weights'";
    case TokenKind::KwBlock: return "'block'";
    case TokenKind::KwTrue: return "'true'";
    case TokenKind::KwFalse: return "'false'";
    case TokenKind::KwNone: return "'none'";
    case TokenKind::Equal: return "'='";
    case TokenKind::Arrow: return "'->'";
    case TokenKind::Comma: return "','";
    case TokenKind::Dot: return "'.'";
    case TokenKind::Colon: return "':'";
    case TokenKind::LParen: return "'('";
    case TokenKind::RParen: return "')'";
    case TokenKind::LBracket: return "'['";
    case TokenKind::RBracket: return "']'";
    case TokenKind::LBrace: return "'{'";
    case TokenKind::RBrace: return "'}'";
    case TokenKind::Plus: return "'+'";
    case TokenKind::Minus: return "'-'";
    case TokenKind::Star: return "'*'";
    case TokenKind::Slash: return "'/'";
    case TokenKind::SlashSlash: return "'//'";
    case TokenKind::Percent: return "'%'";
    case TokenKind::Error: return "invalid token";
  }
  return "token";
}

bool isKeyword(TokenKind kind) {
  return kind >= TokenKind::KwSketch && kind <= TokenKind::KwNone;
}

SourceText SourceText::ofFile(FileId file, const SourceManager& sources) {
  std::string_view text = sources.text(file);
  return {file, text, 0, true, Span{file, 0, static_cast<uint32_t>(text.size())}};
}

Span SourceText::span(uint32_t begin, uint32_t end) const {
  if (!exact) return whole;
  return {file, base + begin, base + end};
}

namespace {

bool isIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool isIdentChar(char c) { return isIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)); }
bool isDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)); }

TokenKind keywordKind(std::string_view word) {
  struct Keyword { const char* text; TokenKind kind; };
  static const Keyword kKeywords[] = {
      {"sketch", TokenKind::KwSketch}, {"input", TokenKind::KwInput},
      {"output", TokenKind::KwOutput}, {"weights", TokenKind::KwWeights},
      {"block", TokenKind::KwBlock},   {"true", TokenKind::KwTrue},
      {"True", TokenKind::KwTrue},     {"false", TokenKind::KwFalse},
      {"False", TokenKind::KwFalse},   {"none", TokenKind::KwNone},
      {"None", TokenKind::KwNone}};
  for (const Keyword& k : kKeywords)
    if (word == k.text) return k.kind;
  return TokenKind::Identifier;
}

class Lexer {
 public:
  Lexer(const SourceText& source, DiagnosticEngine& diags) : src_(source), diags_(diags) {}
  std::vector<Token> run();

 private:
  size_t size() const { return src_.text.size(); }
  char at(size_t i) const { return i < size() ? src_.text[i] : '\0'; }
  void add(TokenKind kind, size_t begin) {
    tokens_.push_back({kind, static_cast<uint32_t>(begin), static_cast<uint32_t>(pos_ - begin)});
  }
  Diagnostic& error(diag::Kind kind, size_t begin, size_t end, std::string message) {
    return diags_.report(kind, src_.span(begin, end), std::move(message));
  }
  bool dotStartsNumber() const;
  void lexNumber();
  void lexString();
  void lexPunctuation();
  void lexInvalidCharacter();

  const SourceText& src_;
  DiagnosticEngine& diags_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

std::vector<Token> Lexer::run() {
  while (pos_ < size()) {
    char c = src_.text[pos_];
    size_t begin = pos_;
    if (c == ' ' || c == '\t' || c == '\r') {
      ++pos_;
    } else if (c == '\n') {
      ++pos_;
      add(TokenKind::Newline, begin);
    } else if (c == '#') {
      while (pos_ < size() && at(pos_) != '\n' && at(pos_) != '\r') ++pos_;
      add(TokenKind::Comment, begin);
    } else if (isIdentStart(c)) {
      while (isIdentChar(at(pos_))) ++pos_;
      add(keywordKind(src_.text.substr(begin, pos_ - begin)), begin);
    } else if (isDigit(c) || (c == '.' && isDigit(at(pos_ + 1)) && dotStartsNumber())) {
      lexNumber();
    } else if (c == '"' || c == '\'') {
      lexString();
    } else {
      lexPunctuation();
    }
  }
  add(TokenKind::EndOfFile, pos_);
  return std::move(tokens_);
}

// `split.1` is a port, `.5` a float: a dot right after a name or a closing bracket is a dot.
bool Lexer::dotStartsNumber() const {
  if (tokens_.empty()) return true;
  const Token& last = tokens_.back();
  if (last.offset + last.length != pos_) return true;
  switch (last.kind) {
    case TokenKind::Identifier: case TokenKind::Int: case TokenKind::RParen:
    case TokenKind::RBracket: return false;
    default: return true;
  }
}

void Lexer::lexNumber() {
  size_t begin = pos_;
  bool isFloat = false, valid = true;
  while (isDigit(at(pos_))) ++pos_;
  if (at(pos_) == '.' && isDigit(at(pos_ + 1))) {
    isFloat = true;
    ++pos_;
    while (isDigit(at(pos_))) ++pos_;
  }
  if (at(pos_) == 'e' || at(pos_) == 'E') {
    isFloat = true;
    ++pos_;
    if (at(pos_) == '+' || at(pos_) == '-') ++pos_;
    valid = isDigit(at(pos_));
    while (isDigit(at(pos_))) ++pos_;
  }
  // `12abc`, `0x1f`, `0.5.1`: one bad token, not two good ones.
  while (isIdentChar(at(pos_)) || (at(pos_) == '.' && isDigit(at(pos_ + 1)))) {
    valid = false;
    ++pos_;
  }
  std::string text(src_.text.substr(begin, pos_ - begin));
  if (!valid) {
    error(diag::InvalidNumber, begin, pos_, "invalid number '" + text + "'");
    return add(TokenKind::Error, begin);
  }
  errno = 0;
  if (isFloat) {
    double value = std::strtod(text.c_str(), nullptr);
    if (errno == ERANGE && std::isinf(value)) {
      error(diag::InvalidNumber, begin, pos_, "float '" + text + "' is out of range");
      return add(TokenKind::Error, begin);
    }
    return add(TokenKind::Float, begin);
  }
  std::strtoll(text.c_str(), nullptr, 10);
  if (errno == ERANGE) {
    error(diag::InvalidNumber, begin, pos_, "integer '" + text + "' is too large")
        .help = "integers are 64-bit: the largest is 9223372036854775807";
    return add(TokenKind::Error, begin);
  }
  add(TokenKind::Int, begin);
}

void Lexer::lexString() {
  size_t begin = pos_;
  char quote = src_.text[pos_++];
  bool valid = true;
  while (pos_ < size() && at(pos_) != quote && at(pos_) != '\n') {
    if (at(pos_) != '\\') {
      ++pos_;
      continue;
    }
    char escaped = at(pos_ + 1);
    if (std::string_view("\\\"'ntr0").find(escaped) == std::string_view::npos ||
        escaped == '\0') {
      size_t end = pos_ + (escaped == '\0' || escaped == '\n' ? 1 : 2);
      error(diag::InvalidCharacter, pos_, end,
            "unknown escape sequence '" + std::string(src_.text.substr(pos_, end - pos_)) +
                "' in string")
          .help = "valid escapes are \\\\, \\\", \\', \\n, \\t, \\r and \\0";
      valid = false;
      pos_ = end;
      continue;
    }
    pos_ += 2;
  }
  if (at(pos_) != quote || pos_ >= size()) {
    size_t end = pos_;
    while (end > begin + 1 && src_.text[end - 1] == '\r') --end;
    error(diag::UnterminatedString, begin, end, "unterminated string")
        .help = std::string("close the string with ") + quote + " before the end of the line";
    return add(TokenKind::Error, begin);
  }
  ++pos_;
  add(valid ? TokenKind::String : TokenKind::Error, begin);
}

void Lexer::lexPunctuation() {
  size_t begin = pos_;
  char c = src_.text[pos_++];
  TokenKind kind;
  switch (c) {
    case '=': kind = TokenKind::Equal; break;
    case ',': kind = TokenKind::Comma; break;
    case '.': kind = TokenKind::Dot; break;
    case ':': kind = TokenKind::Colon; break;
    case '(': kind = TokenKind::LParen; break;
    case ')': kind = TokenKind::RParen; break;
    case '[': kind = TokenKind::LBracket; break;
    case ']': kind = TokenKind::RBracket; break;
    case '{': kind = TokenKind::LBrace; break;
    case '}': kind = TokenKind::RBrace; break;
    case '+': kind = TokenKind::Plus; break;
    case '*': kind = TokenKind::Star; break;
    case '%': kind = TokenKind::Percent; break;
    case '-':
      kind = at(pos_) == '>' ? TokenKind::Arrow : TokenKind::Minus;
      if (kind == TokenKind::Arrow) ++pos_;
      break;
    case '/':
      kind = at(pos_) == '/' ? TokenKind::SlashSlash : TokenKind::Slash;
      if (kind == TokenKind::SlashSlash) ++pos_;
      break;
    default:
      pos_ = begin;
      return lexInvalidCharacter();
  }
  add(kind, begin);
}

// Names the character, not its bytes; a byte that is not part of UTF-8 is named as a byte.
void Lexer::lexInvalidCharacter() {
  size_t begin = pos_;
  std::optional<Utf8Char> c = decodeUtf8(src_.text.substr(pos_));
  pos_ += c ? c->length : 1;
  char hex[16];
  std::string message;
  if (c) {
    std::snprintf(hex, sizeof hex, "U+%04X", c->codePoint);
    bool control = c->codePoint < 0x20 || (c->codePoint >= 0x7F && c->codePoint < 0xA0);
    std::string shown = control ? "" : "'" + std::string(src_.text.substr(begin, c->length)) + "' ";
    message = "invalid character " + shown + "(" + hex + ")";
  } else {
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(src_.text[begin]));
    message = std::string("invalid byte ") + hex + ": the text is not UTF-8";
  }
  Diagnostic& d = error(diag::InvalidCharacter, begin, pos_, std::move(message));
  if (src_.text[begin] == ';') d.help = "statements end at a newline; remove the ';'";
  add(TokenKind::Error, begin);
}

}  // namespace

std::vector<Token> lex(const SourceText& source, DiagnosticEngine& diags) {
  return Lexer(source, diags).run();
}

std::string stringValue(std::string_view tokenText) {
  std::string out;
  for (size_t i = 1; i + 1 < tokenText.size(); ++i) {
    char c = tokenText[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    switch (char e = tokenText[++i]) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case '0': out += '\0'; break;
      default: out += e;
    }
  }
  return out;
}

}  // namespace sketch
