#!/usr/bin/env python3
"""Sorts the crash inputs of a fuzz target by whose code crashed: the project's or LibTorch's.

    triage_crashes.py FUZZ_BINARY INPUT...

fuzz_torchscript_import runs LibTorch's TorchScript loader (torch::jit::load), which is not
hardened against damaged archives: it crashes on many (a stack overflow in its error
messages, unchecked indices into the debug info, its unpickler). run_fuzzers.sh runs that
target with -fork and -ignore_crashes, then calls this script: each input is replayed, and
the innermost frame of the report that is neither the sanitizer runtime, libFuzzer, the C
and C++ runtimes nor an allocator decides. A frame in LibTorch makes it LibTorch's; any
other frame, a sanitizer report without a stack (UBSan), or a leak (LibTorch's are
suppressed by the target) makes it ours. Prints one line per input and a summary by crash
site; exits 1 when any crash is ours.
"""
import collections
import os
import re
import subprocess
import sys

FRAME = re.compile(r"^\s+#\d+ 0x[0-9a-f]+\s+(?:in (?P<function>.+?) )?\((?P<module>[^)+]+)\+0x")
RUNTIME_MODULES = ("libc.so", "libstdc++.so", "libgcc_s.so", "libm.so", "ld-linux", "libpthread")
RUNTIME_FUNCTIONS = re.compile(r"^(__interceptor_|__asan|__sanitizer|__ubsan|__lsan|fuzzer::|"
                               r"operator new|operator delete|malloc|calloc|realloc|free|"
                               r"posix_memalign|__cxa_|std::terminate|abort|raise)")
LIBTORCH_MODULES = ("libtorch", "libc10")


def frames(report):
    """(function, module) of the report's first stack, the runtime's frames left out."""
    found = []
    for line in report.splitlines():
        match = FRAME.match(line)
        if not match:
            if found:
                break
            continue
        function, module = match.group("function") or "", os.path.basename(match.group("module"))
        if not (module.startswith(RUNTIME_MODULES) or RUNTIME_FUNCTIONS.match(function)):
            found.append((function, module))
    return found


def triage(binary, path):
    """(owner, kind, site) of the crash of one input, or None when it no longer crashes."""
    try:
        # A malloc limit and no RSS limit, as in run_fuzzers.sh: a huge allocation is
        # reported where it is made.
        run = subprocess.run([binary, "-runs=1", "-rss_limit_mb=0", "-malloc_limit_mb=1024", path],
                             capture_output=True, text=True,
                             errors="replace", timeout=120)
    except subprocess.TimeoutExpired:
        return "ours", "hang", "no report within 120 s"
    if run.returncode == 0:
        return None
    report = run.stderr
    kind = re.search(r"ERROR: \w+: (.*?)(?: on unknown| on address| trying to| \(|:|$)", report,
                     re.M)
    kind = kind.group(1) if kind else "exit %d" % run.returncode
    if "LeakSanitizer" in report or "runtime error" in report:
        return "ours", kind, "see the report"
    stack = frames(report)
    if not stack:
        return "ours", kind, "no stack"
    owner = "LibTorch" if stack[0][1].startswith(LIBTORCH_MODULES) else "ours"
    # LibTorch's static functions have no names: the site is the first named frame.
    site = next((function for function, _ in stack if function), stack[0][1])
    return owner, kind, re.sub(r"\(.*", "", site)


def main():
    binary, inputs = sys.argv[1], sys.argv[2:]
    sites = collections.Counter()
    ours = 0
    for path in inputs:
        verdict = triage(binary, path)
        if verdict is None:
            print(f"{os.path.basename(path)}: no longer crashes")
            continue
        owner, kind, site = verdict
        ours += owner == "ours"
        sites[(owner, kind, site)] += 1
        print(f"{os.path.basename(path)}: {owner}: {kind} in {site}")
    for (owner, kind, site), count in sites.most_common():
        print(f"  {count:4d}  {owner}: {kind} in {site}")
    print(f"{len(inputs)} crash inputs: {ours} in our code, "
          f"{sum(n for (o, _, _), n in sites.items() if o == 'LibTorch')} inside LibTorch")
    return 1 if ours else 0


if __name__ == "__main__":
    sys.exit(main())
