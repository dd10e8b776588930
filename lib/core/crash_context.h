// Crashes inside code we do not own, reported as bad input. LibTorch's TorchScript loader
// crashes on damaged archives (tests/fuzz/README.md); a user must see an error on the file
// and exit 1, not a core dump. In the manner of LLVM's CrashRecoveryContext, but nothing is
// recovered: the process prints one line and exits.
#pragma once

#include <string>

namespace sketch {

/// While alive, a crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, or std::terminate) on
/// this thread prints "<file>: error: <what> (<signal>)" and exits 1. A crash on another
/// thread, or once the context is gone, stays a crash. Where a sanitizer or a fuzzer already handles crashes,
/// the context leaves its handlers alone, so that they still see every crash.
class CrashContext {
 public:
  CrashContext(const std::string& file, const std::string& what);
  ~CrashContext();
  CrashContext(const CrashContext&) = delete;
  CrashContext& operator=(const CrashContext&) = delete;

 private:
  std::string message_;
  const std::string* outer_;  // the message of an enclosing context on this thread
  bool installed_;
};

}  // namespace sketch
