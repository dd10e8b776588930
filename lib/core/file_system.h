// FileSystem: how library code reads files, so that tests can substitute memory and so that
// `-` (stdin) is handled in one place.
#pragma once

#include <map>
#include <string>

namespace sketch {

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  /// Reads a whole file; "-" is standard input. On failure returns false and sets `error` to
  /// the reason ("No such file or directory", "is a directory").
  virtual bool readFile(const std::string& path, std::string& contents, std::string& error) = 0;
  /// How messages name a path ("<stdin>" for "-").
  static std::string displayName(const std::string& path) { return path == "-" ? "<stdin>" : path; }
};

class RealFileSystem : public FileSystem {
 public:
  bool readFile(const std::string& path, std::string& contents, std::string& error) override;
};

/// Files held in memory, for tests and fuzzing.
class MemoryFileSystem : public FileSystem {
 public:
  void add(std::string path, std::string contents) { files_[std::move(path)] = std::move(contents); }
  bool readFile(const std::string& path, std::string& contents, std::string& error) override;

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace sketch
