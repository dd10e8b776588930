// MappedFile: the read-only bytes of an input file, shared by every reader.
//
// Regular files are memory-mapped, so a reader can hand out zero-copy views (weights read
// from a safetensors file point into the mapping). Pipes and character devices (`/dev/stdin`)
// cannot be mapped and are read into memory instead. The files mapped now are known by
// address, so that an output can copy their bytes file to file (sourceOf). Depends on POSIX
// and core/progress.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace sketch {

class MappedFile {
 public:
  /// Opens and maps `path`. On failure returns null and sets `error` to a message naming
  /// the path and the OS reason ("cannot open 'w.safetensors': No such file or directory");
  /// `errorNumber`, when given, receives the errno value (EISDIR for a directory).
  static std::shared_ptr<const MappedFile> open(const std::string& path, std::string* error,
                                                int* errorNumber = nullptr);

  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::string& path() const { return path_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  std::string_view bytes() const { return {reinterpret_cast<const char*>(data_), size_}; }

  /// Reads a large mapped file from disk now, under a progress bar (core/progress.h), rather
  /// than unseen wherever its bytes are first used. Does nothing when no bar can be seen:
  /// then pages fault in as they are used, and a reader that maps the same file many times
  /// (one tensor each) pays nothing.
  void readAhead() const;

  /// Where bytes come from when they lie wholly in a file that is mapped now: the file (its
  /// path, and its device and inode to check that the path still names it) and their
  /// offset in it. Lets an output copy them file to file (copy_file_range) instead of
  /// through the mapping. Files stay closed while mapped: a model may map one per tensor.
  struct Source {
    std::string path;
    uint64_t device = 0, inode = 0;
    uint64_t offset = 0;
  };
  static std::optional<Source> sourceOf(const void* data, size_t size);

 private:
  MappedFile() = default;

  std::string path_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  bool mapped_ = false;  // true: munmap on destruction; false: data_ points into buffer_
  std::string buffer_;
};

}  // namespace sketch
