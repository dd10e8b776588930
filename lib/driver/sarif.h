// SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format) for the diagnostics of a
// batch check, in the subset that GitHub code scanning accepts: one run whose tool.driver
// lists every diagnostic kind as a rule, and one result per diagnostic with its rule, level,
// message, location (1-based lines, code-point columns, exclusive end; line 1 for a problem
// with a whole file) and its notes as related locations. Paths stay relative, against %SRCROOT%, as code scanning wants them.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "diag/diagnostic.h"

namespace sketch {

/// The whole log; `files` are the diagnostic engines of the checked files, in report order.
nlohmann::json sarifLog(const std::vector<const DiagnosticEngine*>& files);

}  // namespace sketch
