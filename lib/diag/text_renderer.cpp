#include "diag/text_renderer.h"

#include <sstream>
#include <string>

#include "core/utf8.h"

namespace sketch {

namespace {

constexpr const char* kBold = "\033[1m";
constexpr const char* kRed = "\033[1;31m";
constexpr const char* kMagenta = "\033[1;35m";
constexpr const char* kCyan = "\033[1;36m";
constexpr const char* kGreen = "\033[1;32m";
constexpr const char* kReset = "\033[0m";

// Long lines are cut around the caret so a snippet stays readable in a terminal.
constexpr size_t kMaxSnippetWidth = 100;

const char* severityColor(Severity s) {
  switch (s) {
    case Severity::Error: return kRed;
    case Severity::Warning: return kMagenta;
    case Severity::Note: return kCyan;
  }
  return kBold;
}

// Expands tabs to the next multiple of 4 and returns the display column of each byte. Other
// control characters become '?': a source line must not drive the terminal (ESC).
std::string expandTabs(std::string_view line, std::vector<size_t>& displayColumn) {
  std::string out;
  displayColumn.assign(line.size() + 1, 0);
  for (size_t i = 0; i < line.size(); ++i) {
    displayColumn[i] = out.size();
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (c == '\t')
      out.append(4 - out.size() % 4, ' ');
    else
      out += c < 0x20 || c == 0x7F ? '?' : line[i];
  }
  displayColumn[line.size()] = out.size();
  return out;
}

}  // namespace

std::string TextRenderer::location(const Diagnostic& d, Span span) const {
  if (!span.isValid()) return d.file;
  LineColumn lc = sources_.lineColumn(span.file, span.begin);
  return sources_.name(span.file) + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

void TextRenderer::renderSnippet(std::ostream& out, Span span, const char* caretColor) const {
  LineColumn begin = sources_.lineColumn(span.file, span.begin);
  std::string_view line = sources_.lineText(span.file, begin.line);
  std::vector<size_t> column;
  std::string shown = expandTabs(line, column);

  size_t caretByte = std::min<size_t>(begin.column - 1, line.size());
  // A span that runs past the end of its line is underlined to the line's end.
  size_t endByte = std::min<size_t>(caretByte + (span.end - span.begin), line.size());
  size_t caretCol = column[caretByte];
  size_t endCol = std::max(column[endByte], caretCol + 1);

  size_t first = 0;
  if (shown.size() > kMaxSnippetWidth && caretCol > kMaxSnippetWidth / 2) {
    first = caretCol - kMaxSnippetWidth / 2;
    shown = "..." + shown.substr(first, kMaxSnippetWidth);
    caretCol = caretCol - first + 3;
    endCol = std::min(endCol - first + 3, shown.size() + 1);
  } else if (shown.size() > kMaxSnippetWidth) {
    shown = shown.substr(0, kMaxSnippetWidth) + "...";
    endCol = std::min(endCol, kMaxSnippetWidth);
  }

  std::string number = std::to_string(begin.line);
  std::string gutter(number.size() + 1, ' ');
  out << ' ' << number << " | " << shown << '\n';
  out << ' ' << gutter << "| " << std::string(caretCol, ' ');
  if (color_) out << caretColor;
  out << '^' << std::string(endCol > caretCol + 1 ? endCol - caretCol - 1 : 0, '~');
  if (color_) out << kReset;
  out << '\n';
}

// Whole diagnostics are written at once (stderr is unbuffered) and as valid UTF-8, whatever
// bytes the source holds.
void TextRenderer::render(std::ostream& stream, const Diagnostic& d) const {
  std::ostringstream out;
  auto header = [&](Span span, Severity severity, const std::string& message, const char* code) {
    std::string where = location(d, span);
    if (color_) out << kBold;
    if (!where.empty()) out << where << ": ";
    if (color_) out << severityColor(severity);
    out << severityName(severity) << ": ";
    if (color_) out << kReset << kBold;
    out << message;
    if (code) out << " [" << code << "]";
    if (color_) out << kReset;
    out << '\n';
  };

  header(d.span, d.severity, d.message, diag::code(d.kind));
  if (d.span.isValid()) renderSnippet(out, d.span, severityColor(d.severity));
  for (const Note& note : d.notes) {
    header(note.span, Severity::Note, note.message, nullptr);
    if (note.span.isValid()) renderSnippet(out, note.span, kGreen);
  }
  if (!d.help.empty()) {
    if (color_) out << kCyan;
    out << "  help: ";
    if (color_) out << kReset;
    out << d.help << '\n';
  }
  stream << validUtf8(out.str());
}

}  // namespace sketch
