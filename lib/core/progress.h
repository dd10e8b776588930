// ProgressBar: one line on standard error that follows a long read or write of a large file
// (weights of hundreds of MB), redrawn in place and erased when done.
//
// It only draws when standard error is a terminal, the transfer reaches kProgressMinBytes
// and the tool has not turned bars off (-q). That switch is the level of the spdlog logger
// named kProgressLogger, because spdlog's registry is one shared library that a dlopen'ed
// kernel module shares with the tool, while the module has its own copy of libsketch.
// Anything else stays byte-for-byte silent, so pipes, logs and CI output never see it.
// Bars on several threads take turns: the first to draw owns the line until it finishes.
// Depends on spdlog and POSIX only.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace sketch {

/// Transfers smaller than this finish too fast for a progress bar to help.
constexpr uint64_t kProgressMinBytes = uint64_t(64) << 20;

/// A registered logger of this name whose level is above info turns progress bars off.
constexpr const char* kProgressLogger = "progress";

/// Whether progress bars may be drawn now (terminal on stderr, not turned off).
bool progressEnabled();

class ProgressBar {
 public:
  /// `label` says what happens ("reading w.safetensors"); `total` 0 means unknown, shown as
  /// a byte count without a bar.
  ProgressBar(std::string label, uint64_t total);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void setTotal(uint64_t total) { total_ = total; }
  void advance(uint64_t bytes);
  /// Erases the line if one was drawn; later advances draw nothing.
  void finish();

 private:
  void draw();

  std::string label_;
  uint64_t total_;
  uint64_t done_ = 0;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point lastDraw_;
};

}  // namespace sketch
