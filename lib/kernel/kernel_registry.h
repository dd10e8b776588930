// KernelRegistry: the kernels a tool knows, chosen by name (--kernel) or by a file's
// extension. Built-in kernels are added explicitly by the tools (kernels/builtin_kernels.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kernel/kernel.h"

namespace sketch {

class KernelRegistry {
 public:
  /// Adds a kernel; a second kernel with the same name is a programming error and aborts.
  void add(std::unique_ptr<Kernel> kernel);
  const Kernel* find(const std::string& name) const;
  /// The kernel whose extension ends `path` (longest match wins: ".ts.pt" over ".pt").
  const Kernel* forPath(const std::string& path) const;
  const std::vector<std::unique_ptr<Kernel>>& kernels() const { return kernels_; }
  std::vector<std::string> names() const;

 private:
  std::vector<std::unique_ptr<Kernel>> kernels_;
};

}  // namespace sketch
