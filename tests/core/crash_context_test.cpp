#include "core/crash_context.h"

#include <doctest/doctest.h>

#include <csignal>
#include <exception>
#include <functional>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

using namespace sketch;

namespace {

struct ChildResult {
  int status = 0;
  std::string stderrText;
};

/// Runs `body` in a forked child whose stderr is captured. The child's crash signals are
/// reset first, as in a tool's process: doctest (and a sanitizer) claim them, and a
/// context steps aside for whoever handles crashes already.
ChildResult runInChild(const std::function<void()>& body) {
  int pipeEnds[2];
  REQUIRE(::pipe(pipeEnds) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::dup2(pipeEnds[1], STDERR_FILENO);
    ::close(pipeEnds[0]);
    for (int signal : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(signal, SIG_DFL);
    body();
    ::_exit(0);
  }
  ::close(pipeEnds[1]);
  ChildResult result;
  char buffer[512];
  for (ssize_t n; (n = ::read(pipeEnds[0], buffer, sizeof buffer)) > 0;)
    result.stderrText.append(buffer, size_t(n));
  ::close(pipeEnds[0]);
  ::waitpid(pid, &result.status, 0);
  return result;
}

}  // namespace

TEST_CASE("CrashContext: a crash inside it is an error on the file and exit 1") {
  ChildResult segv = runInChild([] {
    CrashContext context("model.pt", "LibTorch crashed while reading it");
    std::raise(SIGSEGV);
  });
  CHECK(WIFEXITED(segv.status));
  CHECK(WEXITSTATUS(segv.status) == 1);
  CHECK(segv.stderrText == "model.pt: error: LibTorch crashed while reading it (SIGSEGV)\n");

  ChildResult terminate = runInChild([] {
    CrashContext context("model.pt", "it crashed");
    std::terminate();
  });
  CHECK(WIFEXITED(terminate.status));
  CHECK(WEXITSTATUS(terminate.status) == 1);
  CHECK(terminate.stderrText == "model.pt: error: it crashed (an exception escaped)\n");
}

TEST_CASE("CrashContext: once it is gone, a crash stays a crash") {
  ChildResult after = runInChild([] {
    { CrashContext context("model.pt", "it crashed"); }
    std::raise(SIGSEGV);
  });
  CHECK(after.stderrText.find("model.pt") == std::string::npos);
  CHECK(WIFSIGNALED(after.status));
  CHECK(WTERMSIG(after.status) == SIGSEGV);
}

TEST_CASE("CrashContext: a handler already in place is left alone") {
  ChildResult claimed = runInChild([] {
    std::signal(SIGSEGV, [](int) { ::_exit(7); });  // a sanitizer's, say
    CrashContext context("model.pt", "it crashed");
    std::raise(SIGSEGV);
  });
  CHECK(WIFEXITED(claimed.status));
  CHECK(WEXITSTATUS(claimed.status) == 7);
  CHECK(claimed.stderrText.empty());
}
