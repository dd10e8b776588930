#include "driver/pipeline.h"

#include <filesystem>

#include "graph/build_graph.h"
#include "graph/check_outputs.h"
#include "graph/infer_shapes.h"
#include "kernel/imported_graph.h"
#include "lang/parser.h"
#include "lang/yaml_frontend.h"
#include "plugin/plugin_host.h"

namespace sketch {

static bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

SketchFormat formatForPath(const std::string& path) {
  return endsWith(path, ".yaml") || endsWith(path, ".yml") ? SketchFormat::Yaml : SketchFormat::Text;
}

std::optional<LoadedSketch> loadSketch(const std::string& path, FileSystem& fs,
                                       SourceManager& sources, DiagnosticEngine& diags) {
  std::string text, error;
  if (!fs.readFile(path, text, error)) {
    diags.reportFile(diag::FileUnreadable, FileSystem::displayName(path),
                     "cannot read '" + FileSystem::displayName(path) + "': " + error);
    return std::nullopt;
  }
  // Sketch text and YAML never hold a NUL byte; a model file given by mistake would
  // otherwise be lexed into one error per byte.
  if (size_t nul = text.find('\0'); nul != std::string::npos) {
    std::string name = FileSystem::displayName(path);
    Diagnostic& d = diags.reportFile(diag::NotText, name,
                                     "'" + name + "' is not a sketch: byte " + std::to_string(nul) +
                                         " is NUL (binary data, or text in UTF-16)");
    if (path != "-")
      d.help = "a model file becomes a sketch with `sketch-import " + path + " -o " +
               std::filesystem::path(path).replace_extension(".sketch").string() + "`";
    return std::nullopt;
  }
  LoadedSketch loaded;
  loaded.file = sources.addFile(FileSystem::displayName(path), std::move(text));
  loaded.format = formatForPath(path);
  loaded.module = loaded.format == SketchFormat::Yaml ? parseYaml(loaded.file, sources, diags)
                                                      : parseSketch(loaded.file, sources, diags);
  return loaded;
}

/// The name of a sketch without a `sketch` statement: its file's stem as an identifier
/// (`my-net.sketch` -> my_net), `model` for standard input. Kernels need one: it names the
/// ONNX graph and the TorchScript classes.
static std::string defaultSketchName(const std::string& path) {
  return path == "-" ? "model" : identifierFor(std::filesystem::path(path).stem().string());
}

/// Gives the graph's one input `type`; false after reporting why it cannot.
static bool retypeInput(Graph& graph, const std::string& type, const std::string& file,
                        DiagnosticEngine& diags) {
  if (graph.inputs.size() != 1) {
    diags.reportFile(diag::InputType, file,
                     "--input-shape gives one input's type, but the sketch has " +
                         std::to_string(graph.inputs.size()) + " inputs");
    return false;
  }
  auto parsed = parseInputType(type);
  if (!parsed) {
    diags.reportFile(diag::InputType, file,
                     "input shape '" + type + "' is not of the form float32[1, 3, 224, 224]");
    return false;
  }
  Node& input = graph.node(graph.inputs[0]);
  input.attrs["dtype"] = Value::ofString(parsed->first);
  input.attrs["shape"] = parsed->second;
  return true;
}

std::optional<CheckedSketch> checkSketch(const std::string& path, FileSystem& fs,
                                         SourceManager& sources, DiagnosticEngine& diags,
                                         const std::string& inputType) {
  size_t errorsBefore = diags.errorCount();
  std::optional<LoadedSketch> loaded = loadSketch(path, fs, sources, diags);
  if (!loaded) return std::nullopt;
  // A statement lost to a syntax error may be the output that would be reported missing.
  bool parsed = diags.errorCount() == errorsBefore;
  CheckedSketch checked;
  checked.file = loaded->file;
  checked.graph = buildGraph(loaded->module, diags);
  if (checked.graph.name.empty()) checked.graph.name = defaultSketchName(path);
  if (!inputType.empty() &&
      !retypeInput(checked.graph, inputType, FileSystem::displayName(path), diags))
    return checked;
  if (inferShapes(checked.graph, diags) && parsed) checkOutputs(checked.graph, diags, loaded->file);
  // Custom ops are loaded on the first unknown op name: their files' problems show here.
  reportPluginProblems(diags);
  return checked;
}

}  // namespace sketch
