// The AST of a sketch: what the text and YAML front ends produce and what `fmt` prints.
//
// The AST keeps Spans, never lines or columns, and keeps comments so that `fmt` does not
// lose them. It knows nothing about ops: `Conv2d(3, 16)` is just a call here; binding
// arguments to attributes happens when the graph is built (graph/build_graph.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "diag/source_manager.h"

namespace sketch::ast {

struct Expr;

/// `name=value` or a positional `value` in a call.
struct Argument {
  std::string keyword;  // empty for positional
  Span keywordSpan;
  std::unique_ptr<Expr> value;
};

/// Expressions are argument values: literals, names of block parameters, calls (nested
/// blocks inside Sequential), tuples/lists and integer arithmetic (`planes * 4`).
struct Expr {
  enum class Kind { Int, Float, String, Bool, None, Name, Call, Tuple, List, Unary, Binary };
  Kind kind = Kind::None;
  Span span;
  int64_t intValue = 0;
  double floatValue = 0;
  bool boolValue = false;
  std::string text;  // String value, Name, callee of a Call, operator of Unary/Binary
  Span calleeSpan;   // Call: the op or block name alone
  std::vector<Argument> arguments;             // Call
  std::vector<std::unique_ptr<Expr>> items;    // Tuple, List, Unary (1), Binary (2)

  std::unique_ptr<Expr> clone() const;
};

/// A dimension in an input type: a size or a symbol (`N`).
struct DimExpr {
  std::optional<int64_t> size;
  std::string symbol;
  Span span;
};

/// `float32[N, 3, 224, 224]`.
struct TensorTypeExpr {
  std::string dtype;
  Span dtypeSpan;
  std::vector<DimExpr> dims;
  Span span;
};

/// One side of a link: `conv`, `lstm.h_n`, `split.1`.
struct Endpoint {
  std::string block;
  std::string port;  // empty: the block's default port
  Span span;
  Span portSpan;
};

/// Comments written on their own lines before a statement, and one after it on its line.
struct Comments {
  std::vector<std::string> leading;  // text after '#', one entry per line
  std::string trailing;
  bool blankLineAfterLeading = false;  // an empty line separates `leading` from the statement
};

struct SketchDecl {
  std::string name;
  Span span;
};

struct WeightsDecl {
  std::string path;
  Span span;
  Span pathSpan;  // the path string alone, for messages about the file
};

/// `input image: float32[N, 3, 32, 32]` (the type is omitted inside block definitions).
struct InputDecl {
  std::string name;
  Span nameSpan;
  std::optional<TensorTypeExpr> type;
  Span span;
  /// Its type did not parse (reported): only the name is kept, so that uses stay silent.
  bool invalid = false;
};

/// `conv = Conv2d(3, 16, kernel_size=3)`.
struct BlockDecl {
  std::string name;
  Span nameSpan;
  std::unique_ptr<Expr> call;  // Kind::Call; null when `invalid`
  Span span;
  /// Its call did not parse or had a reported error: only the name is kept, so that uses
  /// stay silent.
  bool invalid = false;
};

/// `a -> b -> c`, `(a, b) -> cat`, `x -> (p, q)`: each stage is one or more endpoints.
struct LinkChain {
  std::vector<std::vector<Endpoint>> stages;
  std::vector<Span> arrowSpans;  // one per '->'
  Span span;
};

/// `output logits = fc` or `output fc` (then the name is the block's).
struct OutputDecl {
  std::string name;
  Span nameSpan;
  bool named = false;  // written as `name = source`
  Endpoint source;
  Span span;
};

struct BlockDef;

using Statement =
    std::variant<SketchDecl, WeightsDecl, InputDecl, BlockDecl, LinkChain, OutputDecl,
                 std::unique_ptr<BlockDef>>;

struct CommentedStatement {
  Statement statement;
  Comments comments;
  bool blankLineBefore = false;  // an empty line precedes it (and its leading comments)
};

/// A parameter of a block definition, with an optional default.
struct BlockParam {
  std::string name;
  Span span;
  std::unique_ptr<Expr> defaultValue;
};

/// `block Residual(channels) { ... }`: a reusable, parameterised group.
struct BlockDef {
  std::string name;
  Span nameSpan;
  std::vector<BlockParam> params;
  std::vector<CommentedStatement> body;
  std::vector<std::string> closingComments;  // comments before the closing '}'
  Span span;
};

/// Whether `s` is a declaration kept only for its name after a reported error (printers
/// skip it: there is nothing to print).
bool isInvalid(const Statement& s);

/// A whole file.
struct Module {
  FileId file = 0;
  std::vector<CommentedStatement> statements;
  std::vector<std::string> trailingComments;  // comments after the last statement
};

}  // namespace sketch::ast
