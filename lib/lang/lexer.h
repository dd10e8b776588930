// Lexer: turns sketch text into tokens that point back into the source.
//
// A token is only a kind and a byte range; its text is read from the source when needed.
// Newlines and comments are tokens too: the parser decides where newlines matter (they
// are ignored inside ( ) and [ ]) and keeps comments for `fmt`. The lexer works on any
// piece of text whose bytes come from a file (a whole .sketch file, or a string inside a
// YAML file), so it reports every problem through a SourceText's span mapping.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostic.h"

namespace sketch {

enum class TokenKind {
  EndOfFile, Newline, Comment, Identifier, Int, Float, String,
  // Keywords. true/false/none (and True/False/None) are reserved like the others.
  KwSketch, KwInput, KwOutput, KwWeights, KwBlock, KwTrue, KwFalse, KwNone,
  Equal, Arrow, Comma, Dot, Colon, LParen, RParen, LBracket, RBracket, LBrace, RBrace,
  Plus, Minus, Star, Slash, SlashSlash, Percent,
  Error,  // already reported; the parser skips it silently
};

/// Human name of a token kind for "expected X" ("identifier", "'->'", "newline").
const char* tokenKindName(TokenKind kind);
bool isKeyword(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::EndOfFile;
  uint32_t offset = 0;  // into SourceText::text
  uint32_t length = 0;
};

/// A piece of text to lex and parse, and where its bytes are in a file.
///
/// When `exact` is set, byte i of `text` is byte `base + i` of the file. Otherwise (a YAML
/// scalar with escapes or line folding) every span falls back to `whole`.
struct SourceText {
  FileId file = 0;
  std::string_view text;
  uint32_t base = 0;
  bool exact = true;
  Span whole;

  /// The whole text of a registered file.
  static SourceText ofFile(FileId file, const SourceManager& sources);
  /// The file span of text bytes [begin, end).
  Span span(uint32_t begin, uint32_t end) const;
  Span span(const Token& token) const { return span(token.offset, token.offset + token.length); }
  std::string_view textOf(const Token& token) const {
    return text.substr(token.offset, token.length);
  }
};

/// Lexes all of `source` (ending with one EndOfFile token), reporting invalid characters,
/// unterminated strings and malformed numbers.
std::vector<Token> lex(const SourceText& source, DiagnosticEngine& diags);

/// The value of a String token, escapes resolved (the lexer has checked them).
std::string stringValue(std::string_view tokenText);

}  // namespace sketch
