#include "lang/ast.h"

namespace sketch::ast {

std::unique_ptr<Expr> Expr::clone() const {
  auto copy = std::make_unique<Expr>();
  copy->kind = kind;
  copy->span = span;
  copy->intValue = intValue;
  copy->floatValue = floatValue;
  copy->boolValue = boolValue;
  copy->text = text;
  copy->calleeSpan = calleeSpan;
  for (const Argument& a : arguments)
    copy->arguments.push_back({a.keyword, a.keywordSpan, a.value ? a.value->clone() : nullptr});
  for (const std::unique_ptr<Expr>& item : items) copy->items.push_back(item->clone());
  return copy;
}

bool isInvalid(const Statement& s) {
  if (const auto* decl = std::get_if<BlockDecl>(&s)) return decl->invalid;
  if (const auto* in = std::get_if<InputDecl>(&s)) return in->invalid;
  return false;
}

}  // namespace sketch::ast
