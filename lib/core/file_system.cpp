#include "core/file_system.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace sketch {

bool RealFileSystem::readFile(const std::string& path, std::string& contents, std::string& error) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    contents = buffer.str();
    return true;
  }
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    error = std::strerror(errno);
    return false;
  }
  if (S_ISDIR(info.st_mode)) {
    error = "is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    error = std::strerror(errno);
    return false;
  }
  contents = buffer.str();
  return true;
}

bool MemoryFileSystem::readFile(const std::string& path, std::string& contents, std::string& error) {
  auto it = files_.find(path);
  if (it == files_.end()) {
    error = "No such file or directory";
    return false;
  }
  contents = it->second;
  return true;
}

}  // namespace sketch
