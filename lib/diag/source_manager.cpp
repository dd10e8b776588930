#include "diag/source_manager.h"

#include <algorithm>

namespace sketch {

FileId SourceManager::addFile(std::string name, std::string text) {
  File file{std::move(name), std::move(text), {0}};
  for (uint32_t i = 0; i < file.text.size(); ++i)
    if (file.text[i] == '\n') file.lineStarts.push_back(i + 1);
  files_.push_back(std::move(file));
  return static_cast<FileId>(files_.size());
}

std::string_view SourceManager::text(Span span) const {
  std::string_view all = text(span.file);
  uint32_t begin = std::min<uint32_t>(span.begin, all.size());
  uint32_t end = std::min<uint32_t>(std::max(span.end, begin), all.size());
  return all.substr(begin, end - begin);
}

LineColumn SourceManager::lineColumn(FileId file, uint32_t offset) const {
  const std::vector<uint32_t>& starts = files_[file - 1].lineStarts;
  auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - starts.begin());
  return {line, offset - starts[line - 1] + 1};
}

std::string_view SourceManager::lineText(FileId file, uint32_t line) const {
  const File& f = files_[file - 1];
  if (line == 0 || line > f.lineStarts.size()) return {};
  uint32_t begin = f.lineStarts[line - 1];
  uint32_t end = line < f.lineStarts.size() ? f.lineStarts[line] - 1 : f.text.size();
  std::string_view s(f.text);
  s = s.substr(begin, end - begin);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}

}  // namespace sketch
