// Evaluating argument expressions to Values: literals, tuples, block parameters by name,
// and integer/float arithmetic with Python's semantics (`//` floors, `/` gives a float).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/value.h"
#include "diag/diagnostic.h"
#include "lang/ast.h"

namespace sketch {

/// Block parameters visible to an expression, by name.
using ParamValues = std::map<std::string, Value>;

/// Evaluates `expr`; reports problems (unknown name, division by zero, overflow, a call where
/// a value is needed) and returns nullopt after reporting.
std::optional<Value> evaluateExpr(const ast::Expr& expr, const ParamValues& params,
                                  DiagnosticEngine& diags);

}  // namespace sketch
