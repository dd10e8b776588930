#include "core/mapped_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/progress.h"

namespace sketch {

namespace {

bool fail(const std::string& what, const std::string& path, int errorValue, std::string* error,
          int* errorNumber) {
  if (error) *error = "cannot " + what + " '" + path + "': " + std::strerror(errorValue);
  if (errorNumber) *errorNumber = errorValue;
  return false;
}

// Reads a stream that cannot be mapped (pipe, terminal, character device) to its end.
bool readAll(int fd, std::string* out) {
  char chunk[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n == 0) return true;
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    out->append(chunk, static_cast<size_t>(n));
  }
}

}  // namespace

std::shared_ptr<const MappedFile> MappedFile::open(const std::string& path, std::string* error,
                                                   int* errorNumber) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    fail("open", path, errno, error, errorNumber);
    return nullptr;
  }
  std::shared_ptr<MappedFile> file(new MappedFile);
  file->path_ = path;
  struct stat st;
  bool ok = true;
  if (::fstat(fd, &st) != 0) {
    ok = fail("stat", path, errno, error, errorNumber);
  } else if (S_ISDIR(st.st_mode)) {
    ok = fail("read", path, EISDIR, error, errorNumber);
  } else if (!S_ISREG(st.st_mode)) {
    ok = readAll(fd, &file->buffer_) || fail("read", path, errno, error, errorNumber);
    file->data_ = reinterpret_cast<const uint8_t*>(file->buffer_.data());
    file->size_ = file->buffer_.size();
  } else if (st.st_size > 0) {
    // mmap rejects a zero length, so an empty file keeps data_ null and size_ 0.
    void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      ok = fail("map", path, errno, error, errorNumber);
    } else {
      file->data_ = static_cast<const uint8_t*>(p);
      file->size_ = static_cast<size_t>(st.st_size);
      file->mapped_ = true;
    }
  }
  ::close(fd);
  if (!ok) return nullptr;
  return file;
}

void MappedFile::readAhead() const {
  constexpr size_t kStep = size_t(4) << 20;
  if (!mapped_ || size_ < kProgressMinBytes || !progressEnabled()) return;
  ::madvise(const_cast<uint8_t*>(data_), size_, MADV_SEQUENTIAL);
  ProgressBar bar("reading " + path_, size_);
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  volatile uint8_t sink = 0;
  for (size_t start = 0; start < size_; start += kStep) {
    size_t end = std::min(size_, start + kStep);
    for (size_t offset = start; offset < end; offset += page) sink ^= data_[offset];
    bar.advance(end - start);
  }
}

MappedFile::~MappedFile() {
  if (mapped_) ::munmap(const_cast<uint8_t*>(data_), size_);
}

}  // namespace sketch
