// Logging for the command-line tools: spdlog's default logger, set up once from -v/-q and
// --log-file before a command runs.
//
// Logs say what the tool is doing (files read and written, kernel modules loaded, timings);
// they are never the product and never diagnostics. They go to standard error, where they
// cannot corrupt a report or a model on standard output, and optionally to a file. By
// default only warnings show, so a plain run prints nothing but its product and diagnostics.
#pragma once

#include <string>

namespace sketch {

struct LogOptions {
  std::string program;  // prefixes each line on stderr ("sketchc: debug: ...")
  int verbose = 0;      // -v: info, -vv: debug
  bool quiet = false;   // -q: errors only, and no progress bars
  std::string file;     // --log-file: also append every message at debug level or finer
};

/// Installs the default logger. Returns false, with `error` set, when the log file cannot
/// be opened.
bool setupLogging(const LogOptions& options, std::string* error);

}  // namespace sketch
