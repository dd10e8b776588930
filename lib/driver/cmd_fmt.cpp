#include "core/atomic_file.h"
#include "core/file_system.h"
#include "driver/commands.h"
#include "driver/pipeline.h"
#include "lang/printer.h"

namespace sketch {

namespace {

// Writes `text` to `target` through a temporary file; -o never overwrites the input.
void writeOutput(const FmtOptions& options, const std::string& target, const std::string& text,
                 DiagnosticEngine& diags) {
  std::vector<std::string> protectedPaths;
  if (!options.inPlace) protectedPaths.push_back(options.path);
  std::string error;
  std::unique_ptr<AtomicFile> file = AtomicFile::open(target, &error, protectedPaths);
  if (file) file->write(text);
  if (!file || !file->commit(&error)) diags.reportFile(diag::FileWrite, target, error);
}

}  // namespace

int runFmt(const FmtOptions& options, CommandIO& io) {
  RealFileSystem fs;
  SourceManager sources;
  DiagnosticEngine diags(sources, io.errorLimit);
  std::optional<LoadedSketch> loaded = loadSketch(options.path, fs, sources, diags);
  // A file with syntax errors is never rewritten: its AST is incomplete.
  if (loaded && !diags.hasErrors()) {
    bool yaml = options.to.empty() ? loaded->format == SketchFormat::Yaml : options.to == "yaml";
    std::string text = yaml ? printYaml(loaded->module) : printSketch(loaded->module);
    std::string target = options.inPlace ? options.path : options.output;
    if (target.empty() || target == "-")
      io.out << text;
    else
      writeOutput(options, target, text, diags);
  }
  return finishCommand(diags, io);
}

}  // namespace sketch
