#include "core/progress.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>

#include <spdlog/spdlog.h>

namespace sketch {

namespace {

constexpr int kBarWidth = 24;
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
// Wide enough to cover the longest line drawn, so that a shorter line erases it without
// terminal escapes (TERM=dumb terminals understand only the carriage return).
constexpr size_t kLineWidth = 79;

// Goes straight to the file descriptor: the iostreams may hold diagnostics in their buffers.
void writeStderr(const std::string& text) {
  const char* data = text.data();
  size_t size = text.size();
  while (size > 0) {
    ssize_t n = ::write(STDERR_FILENO, data, size);
    if (n <= 0) return;
    data += n;
    size -= static_cast<size_t>(n);
  }
}

std::string megabytes(uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", static_cast<double>(bytes) / (1 << 20));
  return text;
}

// The one bar that owns the terminal line: threads of a batch check may each read a large
// file, and only one of them can draw without garbling the line.
std::atomic<const ProgressBar*> lineOwner{nullptr};

}  // namespace

bool progressEnabled() {
  std::shared_ptr<spdlog::logger> control = spdlog::get(kProgressLogger);
  return isatty(STDERR_FILENO) && (!control || control->should_log(spdlog::level::info));
}

ProgressBar::ProgressBar(std::string label, uint64_t total)
    : label_(std::move(label)), total_(total), enabled_(progressEnabled()) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::advance(uint64_t bytes) {
  done_ += bytes;
  if (!enabled_ || std::max(total_, done_) < kProgressMinBytes) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - lastDraw_ < kRedrawInterval && done_ != total_) return;
  lastDraw_ = now;
  draw();
}

// "reading /a/long/path/w.safetensors" shortened to "reading .../path/w.safetensors": the
// verb and the file name are what a reader looks for.
std::string shorten(const std::string& label, size_t width) {
  if (label.size() <= width) return label;
  size_t verb = label.find(' ');
  verb = verb == std::string::npos || verb + 4 >= width ? 0 : verb + 1;
  return label.substr(0, verb) + "..." + label.substr(label.size() - (width - verb - 3));
}

void ProgressBar::draw() {
  const ProgressBar* expected = nullptr;
  if (!lineOwner.compare_exchange_strong(expected, this) && expected != this) return;
  std::string status;
  if (total_ > 0) {
    uint64_t done = std::min(done_, total_);
    int filled = static_cast<int>(done * kBarWidth / total_);
    status = "  [" + std::string(filled, '#') + std::string(kBarWidth - filled, '.') + "] " +
             std::to_string(done * 100 / total_) + "%  " + megabytes(done) + "/" +
             megabytes(total_) + " MiB";
  } else {
    status = "  " + megabytes(done_) + " MiB";
  }
  std::string line = shorten(label_, kLineWidth - status.size()) + status;
  line.resize(kLineWidth, ' ');
  writeStderr("\r" + line);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (drawn_) {
    writeStderr("\r" + std::string(kLineWidth, ' ') + "\r");
    lineOwner = nullptr;
  }
  drawn_ = false;
  enabled_ = false;
}

}  // namespace sketch
