// The logging flags shared by sketchc and sketch-import (-v, -q, --log-file), so that both
// tools spell and document them the same way. Header-only: the tools are the only users of
// CLI11.
#pragma once

#include <CLI/CLI.hpp>

#include <iostream>

#include "driver/logging.h"

namespace sketch {

inline void addLogOptions(CLI::App& app, LogOptions& log) {
  app.add_flag("-v,--verbose", log.verbose, "log what is done to stderr (-vv: debug)");
  app.add_flag("-q,--quiet", log.quiet, "only errors on stderr, no progress bars (wins over -v)");
  app.add_option("--log-file", log.file, "also append debug logs to this file");
}

/// Installs the logger once the flags are parsed; false after saying why it cannot (an
/// unwritable --log-file), which is a usage error.
inline bool startLogging(const LogOptions& log) {
  std::string error;
  if (setupLogging(log, &error)) return true;
  std::cerr << log.program << ": error: " << error << '\n';
  return false;
}

}  // namespace sketch
