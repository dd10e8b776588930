// How the tools end. A kernel module's libraries stay mapped until exit (RTLD_NODELETE), and
// their static destructors then only tear down what the process drops anyway: LibTorch's
// deregister its ~2000 operators, 0.06-0.1 s of every run that wrote or read a .pth. Once a
// module is loaded, the tools flush their streams and skip those destructors, as clang skips
// its own teardown (the logger flushes every line itself). Header-only, like log_flags.h.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "kernel/module_loader.h"

namespace sketch {

/// Returns `code` for main to return, or ends the process with it at once when a kernel
/// module has been loaded.
inline int finishProcess(int code) {
  if (!kernelModuleLoaded()) return code;
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);  // and any C stdio stream
  ::_exit(code);
}

}  // namespace sketch
