// The flags that shape diagnostics, shared by sketchc and sketch-import (--color,
// --error-limit), so that both tools spell and document them the same way.
#pragma once

#include <CLI/CLI.hpp>

#include "driver/commands.h"

namespace sketch {

inline void addDiagnosticOptions(CLI::App& app, CommandIO& io) {
  app.add_option("--color", io.color, "colour diagnostics: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_option("--error-limit", io.errorLimit, "stop reporting errors after N (0: no limit)")
      ->default_val(kDefaultErrorLimit);
}

}  // namespace sketch
