#include "lang/printer.h"

#include "core/value.h"

namespace sketch {

namespace {

using ast::Expr;

// Binding strength: + - bind loosest, then * / // %, then unary minus, then atoms.
int precedence(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::Binary: return e.text == "+" || e.text == "-" ? 1 : 2;
    case Expr::Kind::Unary: return 3;
    case Expr::Kind::Int: return e.intValue < 0 ? 3 : 4;
    case Expr::Kind::Float: return e.floatValue < 0 ? 3 : 4;
    default: return 4;
  }
}

std::string operand(const Expr& e, int minimum) {
  std::string s = printExpr(e);
  return precedence(e) < minimum ? "(" + s + ")" : s;
}

std::string joinItems(const std::vector<std::unique_ptr<Expr>>& items) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + printExpr(*items[i]);
  return s;
}

std::string printArgument(const ast::Argument& a) {
  return (a.keyword.empty() ? "" : a.keyword + "=") + printExpr(*a.value);
}

}  // namespace

std::string printExpr(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::Int: return std::to_string(e.intValue);
    case Expr::Kind::Float: return Value::ofFloat(e.floatValue).toString();
    case Expr::Kind::String: return Value::ofString(e.text).toString();
    case Expr::Kind::Bool: return e.boolValue ? "true" : "false";
    case Expr::Kind::None: return "none";
    case Expr::Kind::Name: return e.text;
    case Expr::Kind::Call: {
      std::string s = e.text + "(";
      for (size_t i = 0; i < e.arguments.size(); ++i)
        s += (i ? ", " : "") + printArgument(e.arguments[i]);
      return s + ")";
    }
    case Expr::Kind::Tuple:
      return "(" + joinItems(e.items) + (e.items.size() == 1 ? ",)" : ")");
    case Expr::Kind::List: return "[" + joinItems(e.items) + "]";
    case Expr::Kind::Unary: return e.text + operand(*e.items[0], 3);
    case Expr::Kind::Binary: {
      int p = precedence(e);
      // Left-associative: an equal-strength operator on the right needs parentheses.
      return operand(*e.items[0], p) + " " + e.text + " " + operand(*e.items[1], p + 1);
    }
  }
  return "";
}

std::string printTensorType(const ast::TensorTypeExpr& type) {
  std::string s = type.dtype + "[";
  for (size_t i = 0; i < type.dims.size(); ++i) {
    const ast::DimExpr& d = type.dims[i];
    s += (i ? ", " : "") + (d.size ? std::to_string(*d.size) : d.symbol);
  }
  return s + "]";
}

std::string printEndpoint(const ast::Endpoint& endpoint) {
  return endpoint.port.empty() ? endpoint.block : endpoint.block + "." + endpoint.port;
}

std::string printLinkChain(const ast::LinkChain& chain) {
  std::string s;
  for (size_t i = 0; i < chain.stages.size(); ++i) {
    const std::vector<ast::Endpoint>& stage = chain.stages[i];
    if (i) s += " -> ";
    if (stage.size() == 1) {
      s += printEndpoint(stage[0]);
      continue;
    }
    s += "(";
    for (size_t j = 0; j < stage.size(); ++j) s += (j ? ", " : "") + printEndpoint(stage[j]);
    s += ")";
  }
  return s;
}

namespace {

class TextPrinter {
 public:
  std::string print(const ast::Module& module);

 private:
  void printStatements(const std::vector<ast::CommentedStatement>& statements, size_t indent,
                       bool topLevel);
  void printComments(const std::vector<std::string>& comments, size_t indent);
  /// One statement without its leading comments; `trailing` is ` # comment` or empty.
  std::string printStatement(const ast::Statement& statement, size_t indent,
                             const std::string& trailing);
  std::string printBlockDef(const ast::BlockDef& def, size_t indent,
                            const std::string& trailing);
  std::string printValue(const Expr& value, size_t indent, size_t column);

  std::string out_;
};

// Statements of one kind form a group; the printer separates groups with a blank line
// so that text printed from YAML (which has no blank lines) gets the usual layout.
int group(const ast::Statement& s) {
  size_t kind = s.index();
  return kind <= 1 ? 0 : static_cast<int>(kind);
}

bool isBlockDef(const ast::Statement& s) {
  return std::holds_alternative<std::unique_ptr<ast::BlockDef>>(s);
}

std::string TextPrinter::print(const ast::Module& module) {
  printStatements(module.statements, 0, true);
  printComments(module.trailingComments, 0);
  return out_;
}

void TextPrinter::printComments(const std::vector<std::string>& comments, size_t indent) {
  for (const std::string& c : comments) out_ += std::string(indent, ' ') + "#" + c + "\n";
}

void TextPrinter::printStatements(const std::vector<ast::CommentedStatement>& statements,
                                  size_t indent, bool topLevel) {
  std::vector<const ast::CommentedStatement*> printable;
  for (const ast::CommentedStatement& s : statements)
    if (!ast::isInvalid(s.statement)) printable.push_back(&s);
  for (size_t i = 0; i < printable.size(); ++i) {
    const ast::CommentedStatement& s = *printable[i];
    if (i > 0) {
      const ast::Statement& previous = printable[i - 1]->statement;
      bool blank = s.blankLineBefore || isBlockDef(previous) || isBlockDef(s.statement) ||
                   (topLevel && group(previous) != group(s.statement));
      if (blank) out_ += "\n";
    }
    printComments(s.comments.leading, indent);
    if (!s.comments.leading.empty() && s.comments.blankLineAfterLeading) out_ += "\n";
    std::string trailing = s.comments.trailing.empty() ? "" : "  #" + s.comments.trailing;
    out_ += std::string(indent, ' ') + printStatement(s.statement, indent, trailing) + "\n";
  }
}

std::string TextPrinter::printStatement(const ast::Statement& statement, size_t indent,
                                        const std::string& trailing) {
  // A block definition's trailing comment belongs on its '{' line, not after the '}'.
  struct Visitor {
    TextPrinter& p;
    size_t indent;
    const std::string& trailing;
    std::string operator()(const ast::SketchDecl& s) { return "sketch " + s.name + trailing; }
    std::string operator()(const ast::WeightsDecl& w) {
      return "weights " + Value::ofString(w.path).toString() + trailing;
    }
    std::string operator()(const ast::InputDecl& in) {
      return "input " + in.name + (in.type ? ": " + printTensorType(*in.type) : "") + trailing;
    }
    std::string operator()(const ast::BlockDecl& b) {
      std::string head = b.name + " = ";
      return head + p.printValue(*b.call, indent, indent + head.size()) + trailing;
    }
    std::string operator()(const ast::LinkChain& l) { return printLinkChain(l) + trailing; }
    std::string operator()(const ast::OutputDecl& o) {
      std::string source = printEndpoint(o.source);
      return "output " + (o.named && o.name != source ? o.name + " = " : "") + source + trailing;
    }
    std::string operator()(const std::unique_ptr<ast::BlockDef>& def) {
      return p.printBlockDef(*def, indent, trailing);
    }
  };
  return std::visit(Visitor{*this, indent, trailing}, statement);
}

std::string TextPrinter::printBlockDef(const ast::BlockDef& def, size_t indent,
                                       const std::string& trailing) {
  std::string head = "block " + def.name;
  if (!def.params.empty()) {
    head += "(";
    for (size_t i = 0; i < def.params.size(); ++i) {
      const ast::BlockParam& param = def.params[i];
      head += (i ? ", " : "") + param.name;
      if (param.defaultValue) head += "=" + printExpr(*param.defaultValue);
    }
    head += ")";
  }
  TextPrinter body;
  body.printStatements(def.body, indent + 2, false);
  body.printComments(def.closingComments, indent + 2);
  return head + " {" + trailing + "\n" + body.out_ + std::string(indent, ' ') + "}";
}

// A call that does not fit in the line is broken one argument per line, recursively.
std::string TextPrinter::printValue(const Expr& value, size_t indent, size_t column) {
  std::string flat = printExpr(value);
  if (value.kind != Expr::Kind::Call || column + flat.size() <= kMaxLineWidth ||
      value.arguments.empty())
    return flat;
  std::string inner(indent + 2, ' ');
  std::string s = value.text + "(\n";
  for (const ast::Argument& a : value.arguments) {
    std::string head = a.keyword.empty() ? "" : a.keyword + "=";
    s += inner + head + printValue(*a.value, indent + 2, indent + 2 + head.size()) + ",\n";
  }
  return s + std::string(indent, ' ') + ")";
}

}  // namespace

std::string printSketch(const ast::Module& module) { return TextPrinter().print(module); }

}  // namespace sketch
