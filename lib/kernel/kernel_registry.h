// KernelRegistry: the kernels a tool knows, chosen by name (--kernel) or by a file's
// extension. Built-in kernels are added explicitly by the tools (kernels/builtin_kernels.h).
// Kernels found at run time (Lua plug-ins) come from a deferred source that is loaded only
// when a lookup among the kernels registered so far fails, or when a listing needs them.
#pragma once

#include <functional>
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

  using DeferredSource = std::function<void(KernelRegistry&, DiagnosticEngine&)>;
  /// Sets where run-time kernels come from; they are added after the built-in ones.
  void setDeferredSource(DeferredSource source);
  /// Runs the deferred source once (problems go to `diags`); returns whether it ran now.
  bool loadDeferred(DiagnosticEngine& diags) const;

 private:
  std::vector<std::unique_ptr<Kernel>> kernels_;
  // Loading only completes the registry, so lookups through a const registry may do it.
  mutable DeferredSource deferred_;
};

}  // namespace sketch
