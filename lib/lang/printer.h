// The canonical printers behind `sketchc fmt`: ast::Module to text or to YAML.
//
// Printing is a pure function of the AST, so fmt is idempotent. The text form keeps
// comments and single blank lines; the YAML form drops comments. Both print every value
// through the same expression printer, and floats through Value::toString, so printed
// numbers read back to the same value.
#pragma once

#include <string>

#include "lang/ast.h"

namespace sketch {

/// Canonical `.sketch` text: 2-space indent, `name = Op(a, key=value)`, ` -> `, comments
/// kept, at most one blank line between statements, calls wider than kMaxLineWidth broken
/// one argument per line.
std::string printSketch(const ast::Module& module);

/// Canonical YAML form (sections sketch, weights, inputs, definitions, blocks, links,
/// outputs; calls and links as strings). Comments are not kept.
std::string printYaml(const ast::Module& module);

/// Lines longer than this are broken inside the parentheses of calls.
constexpr size_t kMaxLineWidth = 100;

/// An argument value in text syntax, with only the parentheses precedence needs.
std::string printExpr(const ast::Expr& expr);
/// `float32[N, 3, 32, 32]`.
std::string printTensorType(const ast::TensorTypeExpr& type);
/// `lstm.h_n`.
std::string printEndpoint(const ast::Endpoint& endpoint);
/// `(a, b) -> cat -> out`.
std::string printLinkChain(const ast::LinkChain& chain);

}  // namespace sketch
