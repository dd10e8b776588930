#include "driver/report.h"

#include <unistd.h>

#include <cstdlib>

#include "diag/json_renderer.h"
#include "diag/text_renderer.h"

namespace sketch {

bool useColor(const std::string& mode, int fd) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* noColor = std::getenv("NO_COLOR");
  if (noColor && *noColor) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string(term) == "dumb") return false;
  return isatty(fd);
}

void renderText(const DiagnosticEngine& diags, std::ostream& out, bool color) {
  TextRenderer renderer(diags.sources(), color);
  for (const Diagnostic& d : diags.diagnostics()) renderer.render(out, d);
}

nlohmann::json diagnosticsJson(const DiagnosticEngine& diags) {
  nlohmann::json list = nlohmann::json::array();
  for (const Diagnostic& d : diags.diagnostics()) list.push_back(diagnosticToJson(diags.sources(), d));
  return list;
}

void writeJson(std::ostream& out, const nlohmann::json& report) {
  out << report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

int exitCodeFor(const DiagnosticEngine& diags) {
  for (const Diagnostic& d : diags.diagnostics())
    if (d.kind == diag::FileUnreadable || d.kind == diag::FileNotFound || d.kind == diag::FileWrite ||
        d.kind == diag::KernelModule)
      return kExitUsage;
  return diags.hasErrors() ? kExitInvalid : kExitOk;
}

}  // namespace sketch
