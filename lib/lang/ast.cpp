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

}  // namespace sketch::ast
