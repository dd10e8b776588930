// The front half of every command: read a sketch (text or YAML), parse it, build the graph,
// infer shapes and check outputs. Commands add their own back half (print, summarise,
// compile).
#pragma once

#include <optional>
#include <string>

#include "core/file_system.h"
#include "diag/diagnostic.h"
#include "graph/graph.h"
#include "lang/ast.h"

namespace sketch {

enum class SketchFormat { Text, Yaml };

/// YAML for .yaml/.yml, text otherwise (stdin included).
SketchFormat formatForPath(const std::string& path);

struct LoadedSketch {
  FileId file = 0;
  SketchFormat format = SketchFormat::Text;
  ast::Module module;
};

/// Reads and parses; nullopt when the file cannot be read (reported as an I/O error) or
/// is binary, not text (reported as such).
/// Syntax errors are reported and the partial module is returned.
std::optional<LoadedSketch> loadSketch(const std::string& path, FileSystem& fs,
                                       SourceManager& sources, DiagnosticEngine& diags);

struct CheckedSketch {
  FileId file = 0;
  Graph graph;
};

/// loadSketch, then build, infer and check, even after syntax errors (to report all).
/// `inputType`, when given ("float32[1, 3, 224, 224]"), replaces the type of the sketch's
/// one input: the sketch is inferred at that size.
std::optional<CheckedSketch> checkSketch(const std::string& path, FileSystem& fs,
                                         SourceManager& sources, DiagnosticEngine& diags,
                                         const std::string& inputType = "");

}  // namespace sketch
