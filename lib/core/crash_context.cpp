#include "core/crash_context.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <vector>

namespace sketch {

namespace {

constexpr int kCrashSignals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

thread_local const std::string* tMessage = nullptr;

std::mutex gInstallMutex;
int gContexts = 0;  // contexts alive on any thread while our handlers are installed

const char* signalName(int signal) {
  switch (signal) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    default: return "SIGABRT";
  }
}

void writeAll(const char* text, size_t size) {
  while (size > 0) {
    ssize_t written = ::write(STDERR_FILENO, text, size);
    if (written <= 0) return;
    text += written;
    size -= size_t(written);
  }
}

/// Prints the context's line with `cause` and exits. Only async-signal-safe calls.
[[noreturn]] void report(const std::string& message, const char* cause) {
  writeAll(message.data(), message.size());
  writeAll(" (", 2);
  writeAll(cause, std::strlen(cause));
  writeAll(")\n", 2);
  ::_exit(1);
}

void reportCrash(int signal) {
  if (const std::string* message = tMessage) report(*message, signalName(signal));
  ::signal(signal, SIG_DFL);  // not this thread's business: crash as usual
  ::raise(signal);
}

std::terminate_handler gOuterTerminate = nullptr;

/// An exception thrown through a noexcept function: libstdc++'s handler would print the
/// exception and a stack trace before it aborts.
[[noreturn]] void reportTerminate() {
  if (const std::string* message = tMessage) report(*message, "an exception escaped");
  gOuterTerminate();
  std::abort();
}

/// Whether the crash signals are still at their default action, so that nobody (a
/// sanitizer, a fuzzer) has claimed them.
bool signalsUnclaimed() {
  for (int signal : kCrashSignals) {
    struct sigaction current;
    if (::sigaction(signal, nullptr, &current) != 0 || current.sa_handler != SIG_DFL) return false;
  }
  return true;
}

void setHandlers(void (*handler)(int)) {
  struct sigaction action = {};
  action.sa_handler = handler;
  action.sa_flags = SA_ONSTACK;  // a stack overflow is a crash too
  sigemptyset(&action.sa_mask);
  for (int signal : kCrashSignals) ::sigaction(signal, &action, nullptr);
}

/// Handlers run on an alternate stack, one per thread.
void ensureAlternateStack() {
  thread_local std::vector<char> stack;
  stack_t current;
  if (::sigaltstack(nullptr, &current) == 0 && !(current.ss_flags & SS_DISABLE)) return;
  stack.resize(64 * 1024);
  stack_t alternate = {};
  alternate.ss_sp = stack.data();
  alternate.ss_size = stack.size();
  ::sigaltstack(&alternate, nullptr);
}

}  // namespace

CrashContext::CrashContext(const std::string& file, const std::string& what)
    : message_(file + ": error: " + what), outer_(tMessage), installed_(false) {
  std::lock_guard<std::mutex> lock(gInstallMutex);
  if (gContexts == 0 && !signalsUnclaimed()) return;
  if (gContexts++ == 0) {
    setHandlers(reportCrash);
    gOuterTerminate = std::set_terminate(reportTerminate);
  }
  installed_ = true;
  ensureAlternateStack();
  tMessage = &message_;
}

CrashContext::~CrashContext() {
  if (!installed_) return;
  tMessage = outer_;
  std::lock_guard<std::mutex> lock(gInstallMutex);
  if (--gContexts == 0) {
    setHandlers(SIG_DFL);
    std::set_terminate(gOuterTerminate);
  }
}

}  // namespace sketch
