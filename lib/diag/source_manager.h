// SourceManager: owns the text of every input and maps byte offsets to lines and columns.
//
// Everything before rendering speaks in Spans (file id + byte range); only the renderers
// ask for line and column, so parsers never count lines.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sketch {

using FileId = uint32_t;

/// A byte range [begin, end) in one source file. FileId 0 means "no location".
struct Span {
  FileId file = 0;
  uint32_t begin = 0;
  uint32_t end = 0;

  bool isValid() const { return file != 0; }
  /// The smallest span covering both (same file assumed).
  Span to(const Span& other) const { return {file, begin, other.end > end ? other.end : end}; }
};

struct LineColumn {
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based, in bytes
};

class SourceManager {
 public:
  /// Registers a file's text; the returned id is never 0.
  FileId addFile(std::string name, std::string text);

  const std::string& name(FileId file) const { return files_[file - 1].name; }
  std::string_view text(FileId file) const { return files_[file - 1].text; }
  std::string_view text(Span span) const;

  LineColumn lineColumn(FileId file, uint32_t offset) const;
  /// The text of a 1-based line, without its newline.
  std::string_view lineText(FileId file, uint32_t line) const;

 private:
  struct File {
    std::string name;
    std::string text;
    std::vector<uint32_t> lineStarts;  // byte offset of each line's first byte
  };
  std::vector<File> files_;
};

}  // namespace sketch
