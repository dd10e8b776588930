// The text front end: `.sketch` source to ast::Module.
//
// A recursive-descent parser with one function per production of grammar/sketch.ebnf. It
// reports every syntax error (recovering at the next statement) and never stops at the
// first. The YAML front end reuses single productions on the strings of a YAML file through
// the parse*Text functions, so both forms share one grammar and one set of messages. This
// layer knows nothing about ops or graphs.
#pragma once

#include <optional>

#include "diag/diagnostic.h"
#include "lang/ast.h"
#include "lang/lexer.h"

namespace sketch {

/// Deepest nesting of parentheses, calls and block definitions the parser accepts, so
/// that hostile input cannot exhaust the stack.
constexpr int kMaxNesting = 256;

/// Parses a whole registered file. Problems go to `diags`; statements with syntax errors
/// are left out of the result.
ast::Module parseSketch(FileId file, const SourceManager& sources, DiagnosticEngine& diags);

/// `Conv2d(3, 16, kernel_size=3)`; null after a reported error.
std::unique_ptr<ast::Expr> parseCallText(const SourceText& source, DiagnosticEngine& diags);
/// An argument value: `3`, `(1, 2)`, `planes * 4`, `"same"`; null after a reported error.
std::unique_ptr<ast::Expr> parseExprText(const SourceText& source, DiagnosticEngine& diags);
/// `a -> b -> c`.
std::optional<ast::LinkChain> parseLinkText(const SourceText& source, DiagnosticEngine& diags);
/// `float32[N, 3, 32, 32]`.
std::optional<ast::TensorTypeExpr> parseTensorTypeText(const SourceText& source,
                                                       DiagnosticEngine& diags);
/// `fc`, `lstm.h_n`, `split.1`.
std::optional<ast::Endpoint> parseEndpointText(const SourceText& source,
                                               DiagnosticEngine& diags);

/// True for a name the text form accepts as a block, input or parameter name.
bool isIdentifier(std::string_view text);
/// `name` as such a name: other characters become '_', a leading digit gets a '_' before
/// it and a keyword one after it (`input.1` -> input_1, `input` -> input_).
std::string identifierFor(const std::string& name);
/// True for a block path: identifiers and Sequential indices joined by dots (`layer1.0.conv1`).
bool isBlockPath(std::string_view text);

}  // namespace sketch
