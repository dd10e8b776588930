// TextRenderer: clang-style text for diagnostics.
//
//   net.sketch:14:9: error: ... [code]
//      14 |   conv2 = Conv2d(64, 128, kernel_size=3)
//         |           ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
//   net.sketch:22:3: note: 'relu' is linked to 'conv2' here
//
// Columns count bytes; tabs are expanded for display so the caret stays under its text.
#pragma once

#include <ostream>

#include "diag/diagnostic.h"

namespace sketch {

class TextRenderer {
 public:
  TextRenderer(const SourceManager& sources, bool color) : sources_(sources), color_(color) {}

  void render(std::ostream& out, const Diagnostic& d) const;
  /// "file:line:col" for a span, or just the file for a diagnostic without one.
  std::string location(const Diagnostic& d, Span span) const;

 private:
  void renderSnippet(std::ostream& out, Span span, const char* caretColor) const;

  const SourceManager& sources_;
  bool color_;
};

}  // namespace sketch
