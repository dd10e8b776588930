// JSON form of diagnostics: the same fields as the text form, one object per diagnostic.
// Fields are only ever added; `version` tells consumers which set to expect.
#pragma once

#include <nlohmann/json.hpp>

#include "diag/diagnostic.h"

namespace sketch {

constexpr int kDiagnosticJsonVersion = 1;

/// {file, line, column, end_line, end_column, severity, code, message, notes[], help}.
nlohmann::json diagnosticToJson(const SourceManager& sources, const Diagnostic& d);

}  // namespace sketch
