// Printing diagnostics for a command: text (clang-style, optionally coloured) or JSON.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "diag/diagnostic.h"

namespace sketch {

/// Sarif: SARIF 2.1.0, for code scanning (check only).
enum class OutputFormat { Text, Json, Sarif };

/// Exit codes shared by every command (documented in man/sketchc.1).
enum ExitCode { kExitOk = 0, kExitInvalid = 1, kExitUsage = 2 };

/// Colour decision for --color=auto|always|never: auto colours a terminal unless NO_COLOR
/// is set and non-empty or TERM is "dumb".
bool useColor(const std::string& mode, int fd);

void renderText(const DiagnosticEngine& diags, std::ostream& out, bool color);
nlohmann::json diagnosticsJson(const DiagnosticEngine& diags);
/// Writes a JSON report, indented, and a newline. Bytes that are not UTF-8 (a source line,
/// a name from a damaged model) become U+FFFD instead of failing the run.
void writeJson(std::ostream& out, const nlohmann::json& report);

/// 0 without errors, 2 after an I/O error, 1 otherwise.
int exitCodeFor(const DiagnosticEngine& diags);

}  // namespace sketch
