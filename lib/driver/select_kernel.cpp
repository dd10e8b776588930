#include "driver/select_kernel.h"

#include "core/spelling.h"

namespace sketch {

const Kernel* selectKernel(const KernelRegistry& kernels, const std::string& requested,
                           const std::string& path, DiagnosticEngine& diags) {
  auto lookup = [&] { return requested.empty() ? kernels.forPath(path) : kernels.find(requested); };
  if (const Kernel* k = lookup()) return k;
  // Plug-in kernels are loaded only when no built-in kernel answers.
  if (kernels.loadDeferred(diags))
    if (const Kernel* k = lookup()) return k;
  std::string known;
  for (const auto& k : kernels.kernels()) {
    known += (known.empty() ? "" : ", ") + k->name() + " (";
    for (size_t i = 0; i < k->extensions().size(); ++i) known += (i ? " " : "") + k->extensions()[i];
    known += ")";
  }
  if (!requested.empty()) {
    Diagnostic& d = diags.reportFile(diag::UnknownFormat, path, "unknown kernel '" + requested + "'");
    std::string guess = closestMatch(requested, kernels.names());
    d.help = guess.empty() ? "the kernels are " + known : "did you mean '" + guess + "'?";
    return nullptr;
  }
  diags.reportFile(diag::UnknownFormat, path, "no kernel handles '" + path + "'")
      .help = "name the kernel with --kernel; the kernels are " + known;
  return nullptr;
}

}  // namespace sketch
