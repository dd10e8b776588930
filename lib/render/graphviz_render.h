// Laying out and drawing a DOT graph with Graphviz's library (libgvc, the `dot` layout):
// SVG through the core plugin, PNG through the cairo plugin (both in Debian's libgvc6).
// Graphviz's own messages are captured, never printed.
#pragma once

#include <string>

namespace sketch {

/// Lays out `dot` and draws it as `format` ("svg", "png"). Returns false and sets `error`
/// when the text does not parse, the layout fails or no plugin draws that format.
bool renderDot(const std::string& dot, const std::string& format, std::string* image,
               std::string* error);

}  // namespace sketch
