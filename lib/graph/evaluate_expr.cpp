#include "graph/evaluate_expr.h"

#include <cmath>

#include "core/spelling.h"

namespace sketch {

namespace {

class Evaluator {
 public:
  Evaluator(const ParamValues& params, DiagnosticEngine& diags) : params_(params), diags_(diags) {}

  std::optional<Value> eval(const ast::Expr& e) {
    using K = ast::Expr::Kind;
    switch (e.kind) {
      case K::Int: return Value::ofInt(e.intValue);
      case K::Float: return Value::ofFloat(e.floatValue);
      case K::String: return Value::ofString(e.text);
      case K::Bool: return Value::ofBool(e.boolValue);
      case K::None: return Value::none();
      case K::Name: return lookup(e);
      case K::Call:
        diags_.report(diag::InvalidLink, e.span,
                      "'" + e.text + "(...)' is a block, not a value")
            .help = "blocks can be arguments of Sequential only";
        return std::nullopt;
      case K::Tuple:
      case K::List: return sequence(e);
      case K::Unary: return unary(e);
      case K::Binary: return binary(e);
    }
    return std::nullopt;
  }

 private:
  std::optional<Value> lookup(const ast::Expr& e) {
    auto it = params_.find(e.text);
    if (it != params_.end()) return it->second;
    std::vector<std::string> names;
    for (const auto& [name, value] : params_) names.push_back(name);
    Diagnostic& d = diags_.report(diag::UnknownName, e.span, "unknown name '" + e.text + "'");
    std::string suggestion = closestMatch(e.text, names);
    if (!suggestion.empty())
      d.help = "did you mean '" + suggestion + "'?";
    else if (names.empty())
      d.help = "names stand for block parameters; strings need quotes";
    return std::nullopt;
  }

  std::optional<Value> sequence(const ast::Expr& e) {
    std::vector<Value> items;
    for (const auto& item : e.items) {
      std::optional<Value> v = eval(*item);
      if (!v) return std::nullopt;
      items.push_back(std::move(*v));
    }
    return Value::ofList(std::move(items));
  }

  std::optional<Value> unary(const ast::Expr& e) {
    std::optional<Value> v = eval(*e.items[0]);
    if (!v) return std::nullopt;
    if (v->isInt() && v->asInt() != INT64_MIN) return Value::ofInt(-v->asInt());
    if (v->isFloat()) return Value::ofFloat(-v->asNumber());
    return typeError(e, *v, *v);
  }

  std::optional<Value> typeError(const ast::Expr& e, const Value& a, const Value& b) {
    diags_.report(diag::ArithmeticError, e.span,
                  "cannot apply '" + e.text + "' to " + Value::kindName(a.kind()) +
                      (e.items.size() > 1 ? std::string(" and ") + Value::kindName(b.kind()) : ""));
    return std::nullopt;
  }

  std::optional<Value> overflow(const ast::Expr& e) {
    diags_.report(diag::ArithmeticError, e.span, "integer overflow in '" + e.text + "'");
    return std::nullopt;
  }

  std::optional<Value> binary(const ast::Expr& e) {
    std::optional<Value> a = eval(*e.items[0]);
    std::optional<Value> b = eval(*e.items[1]);
    if (!a || !b) return std::nullopt;
    if (!a->isNumber() || !b->isNumber()) return typeError(e, *a, *b);
    const std::string& op = e.text;
    bool divides = op == "/" || op == "//" || op == "%";
    if (divides && b->asNumber() == 0) {
      diags_.report(diag::ArithmeticError, e.items[1]->span, "division by zero");
      return std::nullopt;
    }
    if (a->isInt() && b->isInt() && op != "/") return intOp(e, a->asInt(), b->asInt());
    double x = a->asNumber(), y = b->asNumber();
    if (op == "+") return Value::ofFloat(x + y);
    if (op == "-") return Value::ofFloat(x - y);
    if (op == "*") return Value::ofFloat(x * y);
    if (op == "/") return Value::ofFloat(x / y);
    if (op == "//") return Value::ofFloat(std::floor(x / y));
    return Value::ofFloat(x - y * std::floor(x / y));  // Python's % takes the divisor's sign
  }

  std::optional<Value> intOp(const ast::Expr& e, int64_t x, int64_t y) {
    const std::string& op = e.text;
    int64_t r = 0;
    if (op == "+" && !__builtin_add_overflow(x, y, &r)) return Value::ofInt(r);
    if (op == "-" && !__builtin_sub_overflow(x, y, &r)) return Value::ofInt(r);
    if (op == "*" && !__builtin_mul_overflow(x, y, &r)) return Value::ofInt(r);
    if (op == "//" || op == "%") {
      if (x == INT64_MIN && y == -1) return overflow(e);
      int64_t q = x / y, m = x % y;
      if (m != 0 && ((m < 0) != (y < 0))) {
        --q;
        m += y;
      }
      return Value::ofInt(op == "//" ? q : m);
    }
    return overflow(e);
  }

  const ParamValues& params_;
  DiagnosticEngine& diags_;
};

}  // namespace

std::optional<Value> evaluateExpr(const ast::Expr& expr, const ParamValues& params,
                                  DiagnosticEngine& diags) {
  return Evaluator(params, diags).eval(expr);
}

}  // namespace sketch
