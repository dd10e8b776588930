#include <algorithm>
#include <filesystem>

#include "core/file_system.h"
#include "driver/commands.h"
#include "driver/model_weights.h"
#include "driver/pipeline.h"
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

}  // namespace

int runCheck(const CheckOptions& options, CommandIO& io) {
  RealFileSystem fs;
  SourceManager sources;
  DiagnosticEngine diags(sources);
  std::vector<std::string> files = expandPaths(options.paths);
  nlohmann::json fileReports = nlohmann::json::array();
  size_t invalid = 0;
  for (const std::string& path : files) {
    size_t errorsBefore = diags.errorCount(), warningsBefore = diags.warningCount();
    std::optional<CheckedSketch> checked = checkSketch(path, fs, sources, diags);
    // A weights file is checked too (names, shapes, dtypes) once the graph itself is valid.
    if (checked && diags.errorCount() == errorsBefore && !checked->graph.weightsFile.empty())
      modelWeights(checked->graph, path, "", diags);
    size_t errors = diags.errorCount() - errorsBefore;
    size_t warnings = diags.warningCount() - warningsBefore;
    invalid += errors > 0;
    nlohmann::json report{{"file", FileSystem::displayName(path)}, {"ok", errors == 0},
                          {"errors", errors}, {"warnings", warnings}};
    if (checked && errors == 0) {
      Summary summary = summarize(checked->graph);
      report["blocks"] = summary.rows.size();
      report["params"] = summary.params;
      report["macs"] = summary.macs;
    }
    fileReports.push_back(report);
  }
  if (options.format == OutputFormat::Json) {
    io.out << nlohmann::json{{"version", 1}, {"files", fileReports},
                             {"diagnostics", diagnosticsJson(diags)}}
                  .dump(2)
           << '\n';
    return exitCodeFor(diags);
  }
  renderText(diags, io.err, useColor(io.color, 2));
  for (const auto& r : fileReports) {
    io.out << r["file"].get<std::string>() << ": ";
    if (r["ok"].get<bool>())
      io.out << "ok";
    else
      io.out << plural(r["errors"].get<size_t>(), "error");
    if (r.contains("blocks"))
      io.out << " (" << plural(r["blocks"].get<size_t>(), "block") << ", "
             << withThousands(r["params"].get<int64_t>()) << " params)";
    if (r["warnings"].get<size_t>()) io.out << ", " << plural(r["warnings"].get<size_t>(), "warning");
    io.out << '\n';
  }
  if (files.size() > 1)
    io.out << plural(files.size(), "file") << " checked: " << files.size() - invalid << " ok, "
           << invalid << " invalid\n";
  return exitCodeFor(diags);
}

}  // namespace sketch
