#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>

#include <spdlog/spdlog.h>

#include "core/file_system.h"
#include "core/parallel_for.h"
#include "driver/commands.h"
#include "driver/model_weights.h"
#include "driver/pipeline.h"
#include "driver/sarif.h"
#include "driver/summary.h"

namespace sketch {

namespace {

bool isSketchFile(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  return ext == ".sketch" || ext == ".yaml" || ext == ".yml";
}

// Folders are searched recursively, in sorted order so that reports are stable.
std::vector<std::string> expandPaths(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (path != "-" && std::filesystem::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
           !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec) && isSketchFile(it->path())) found.push_back(it->path().string());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(path);
    }
  }
  return files;
}

std::string plural(size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// One file's check, self-contained: its own sources and diagnostics, so that files can be
// checked on any thread and reported in the order given.
struct FileCheck {
  explicit FileCheck(size_t errorLimit) : diags(sources, errorLimit) {}
  SourceManager sources;
  DiagnosticEngine diags;
  nlohmann::json report;
};

void checkFile(const std::string& path, FileCheck& result) {
  auto start = std::chrono::steady_clock::now();
  RealFileSystem fs;
  DiagnosticEngine& diags = result.diags;
  std::optional<CheckedSketch> checked = checkSketch(path, fs, result.sources, diags);
  // A weights file is checked too (names, shapes, dtypes) once the graph itself is valid.
  if (checked && !diags.hasErrors() && !checked->graph.weightsFile.empty())
    modelWeights(checked->graph, path, "", diags);
  bool ok = !diags.hasErrors();
  result.report = {{"file", FileSystem::displayName(path)}, {"ok", ok},
                   {"errors", diags.errorCount()}, {"warnings", diags.warningCount()}};
  if (checked && ok) {
    Summary summary = summarize(checked->graph);
    result.report["blocks"] = summary.rows.size();
    result.report["params"] = summary.params;
    result.report["macs"] = macsJson(summary.macs, summary.macsDependOn);
  }
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
  spdlog::debug("checked '{}' in {:.1f} ms", FileSystem::displayName(path), ms.count());
}

void printStatus(const nlohmann::json& r, std::ostream& out) {
  out << r["file"].get<std::string>() << ": ";
  if (r["ok"].get<bool>())
    out << "ok";
  else
    out << plural(r["errors"].get<size_t>(), "error");
  if (r.contains("blocks"))
    out << " (" << plural(r["blocks"].get<size_t>(), "block") << ", "
        << withThousands(r["params"].get<int64_t>()) << " params)";
  if (r["warnings"].get<size_t>()) out << ", " << plural(r["warnings"].get<size_t>(), "warning");
  out << '\n';
}

struct Totals {
  size_t files = 0, ok = 0, errors = 0, warnings = 0;
};

Totals totalsOf(const std::vector<std::unique_ptr<FileCheck>>& checks) {
  Totals t;
  t.files = checks.size();
  for (const auto& c : checks) {
    t.ok += !c->diags.hasErrors();
    t.errors += c->diags.errorCount();
    t.warnings += c->diags.warningCount();
  }
  return t;
}

// "checked 12 files: 11 ok, 1 with errors (3 errors, 1 warning)"
std::string summaryLine(const Totals& t) {
  std::string line = "checked " + plural(t.files, "file") + ": " + std::to_string(t.ok) + " ok";
  if (t.files > t.ok) line += ", " + std::to_string(t.files - t.ok) + " with errors";
  std::vector<std::string> counts;
  if (t.errors) counts.push_back(plural(t.errors, "error"));
  if (t.warnings) counts.push_back(plural(t.warnings, "warning"));
  if (!counts.empty()) line += " (" + counts[0] + (counts.size() > 1 ? ", " + counts[1] : "") + ")";
  return line;
}

void printJson(const std::vector<std::unique_ptr<FileCheck>>& checks, const Totals& t,
               std::ostream& out) {
  nlohmann::json files = nlohmann::json::array(), diagnostics = nlohmann::json::array();
  for (const auto& c : checks) {
    files.push_back(c->report);
    for (const nlohmann::json& d : diagnosticsJson(c->diags)) diagnostics.push_back(d);
  }
  nlohmann::json summary{{"files", t.files}, {"ok", t.ok}, {"invalid", t.files - t.ok},
                         {"errors", t.errors}, {"warnings", t.warnings}};
  writeJson(out, {{"version", 1}, {"files", files}, {"diagnostics", diagnostics},
                  {"summary", summary}});
}

}  // namespace

int runCheck(const CheckOptions& options, CommandIO& io) {
  std::vector<std::string> files = expandPaths(options.paths);
  std::vector<std::unique_ptr<FileCheck>> checks;
  for (size_t i = 0; i < files.size(); ++i)
    checks.push_back(std::make_unique<FileCheck>(io.errorLimit));
  unsigned threads = threadCount(options.jobs, files.size());
  spdlog::info("checking {} on {}", plural(files.size(), "file"), plural(threads, "thread"));
  parallelFor(files.size(), threads, [&](size_t i) { checkFile(files[i], *checks[i]); });

  int exitCode = kExitOk;
  for (const auto& c : checks) exitCode = std::max(exitCode, exitCodeFor(c->diags));
  Totals totals = totalsOf(checks);
  if (options.format == OutputFormat::Json) {
    printJson(checks, totals, io.out);
    return exitCode;
  }
  if (options.format == OutputFormat::Sarif) {
    std::vector<const DiagnosticEngine*> engines;
    for (const auto& c : checks) engines.push_back(&c->diags);
    writeJson(io.out, sarifLog(engines));
    return exitCode;
  }
  bool color = useColor(io.color, 2);
  for (const auto& c : checks) {
    renderText(c->diags, io.err, color);
    io.err.flush();
    printStatus(c->report, io.out);
    io.out.flush();
  }
  if (files.size() != 1) io.out << summaryLine(totals) << '\n';
  return exitCode;
}

}  // namespace sketch
