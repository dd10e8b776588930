#include "driver/logging.h"

#include <algorithm>
#include <memory>
#include <vector>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/progress.h"

namespace sketch {

namespace {

spdlog::level::level_enum consoleLevel(const LogOptions& options) {
  if (options.quiet) return spdlog::level::err;
  if (options.verbose == 0) return spdlog::level::warn;
  return options.verbose == 1 ? spdlog::level::info : spdlog::level::debug;
}

}  // namespace

bool setupLogging(const LogOptions& options, std::string* error) {
  // Unsynchronised sinks would interleave lines from the threads of a batch check.
  auto console = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  console->set_level(consoleLevel(options));
  console->set_pattern(options.program + ": %l: %v");
  std::vector<spdlog::sink_ptr> sinks{console};
  spdlog::level::level_enum level = console->level();
  if (!options.file.empty()) {
    try {
      auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file);
      file->set_level(std::min(spdlog::level::debug, level));
      file->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l [%t] %v");
      sinks.push_back(file);
      level = std::min(level, file->level());
    } catch (const spdlog::spdlog_ex& e) {
      *error = "cannot open log file '" + options.file + "': " + e.what();
      return false;
    }
  }
  auto logger = std::make_shared<spdlog::logger>(options.program, sinks.begin(), sinks.end());
  logger->set_level(level);
  logger->flush_on(spdlog::level::trace);
  spdlog::set_default_logger(logger);
  // Progress bars ask this logger, not the default one: a log file at debug level must not
  // bring them back under -q.
  auto progress = std::make_shared<spdlog::logger>(kProgressLogger);
  progress->set_level(options.quiet ? spdlog::level::off : spdlog::level::info);
  spdlog::drop(kProgressLogger);
  spdlog::register_logger(progress);
  return true;
}

}  // namespace sketch
