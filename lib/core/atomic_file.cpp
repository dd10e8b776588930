#include "core/atomic_file.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "core/mapped_file.h"

namespace sketch {

namespace {

constexpr size_t kBufferSize = 1 << 16;
constexpr size_t kSlice = size_t(4) << 20;  // the progress bar moves at least this often
constexpr uint64_t kWritebackStep = uint64_t(16) << 20;

std::string osError(const std::string& what, const std::string& path, int errorValue) {
  return "cannot " + what + " '" + path + "': " + std::strerror(errorValue);
}

std::string folderOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string baseNameOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool writeAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// Creates a fresh temporary file beside `path`. Mode 0666 lets the umask decide the final
// permissions, as for a file created directly.
int createTemporary(const std::string& path, std::string* tempPath) {
  static std::atomic<unsigned> counter{0};
  const std::string stem = folderOf(path) + "/." + baseNameOf(path) + ".tmp" +
                           std::to_string(::getpid()) + "-";
  for (int attempt = 0; attempt < 100; ++attempt) {
    *tempPath = stem + std::to_string(counter++);
    int fd = ::open(tempPath->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return -1;
}

// A run killed with SIGKILL cannot remove its temporary file. Such leftovers are hidden
// and named `.<base>.tmp<pid>-<n>`; one whose process no longer exists is removed by the
// next run writing the same output. A live process (pid reuse included) keeps its file.
void removeStaleTemporaries(const std::string& path) {
  const std::string prefix = "." + baseNameOf(path) + ".tmp";
  DIR* dir = ::opendir(folderOf(path).c_str());
  if (!dir) return;
  while (dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    char* end = nullptr;
    long pid = std::strtol(name.c_str() + prefix.size(), &end, 10);
    if (pid <= 0 || *end != '-' || pid == ::getpid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
      ::unlink((folderOf(path) + "/" + name).c_str());
  }
  ::closedir(dir);
}

bool isSameFile(const struct stat& a, const std::string& other) {
  struct stat b;
  return ::stat(other.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// Some filesystems refuse fsync on a folder; the rename itself has succeeded by then, so
// this only narrows the window in which a power loss could undo it.
void syncFolder(const std::string& folder) {
  int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

std::unique_ptr<AtomicFile> AtomicFile::open(const std::string& path, std::string* error,
                                             const std::vector<std::string>& protectedPaths) {
  std::unique_ptr<AtomicFile> file(new AtomicFile);
  file->path_ = path;
  file->progress_ = std::make_unique<ProgressBar>("writing " + path, 0);
  struct stat st;
  bool exists = ::stat(path.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) {
    *error = osError("write", path, EISDIR);
    return nullptr;
  }
  for (const std::string& input : protectedPaths) {
    if (exists && isSameFile(st, input)) {
      *error = "cannot write '" + path + "': it is also an input ('" + input + "')";
      return nullptr;
    }
  }
  if (exists && !S_ISREG(st.st_mode)) {
    file->fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (file->fd_ < 0) {
      *error = osError("write", path, errno);
      return nullptr;
    }
    return file;
  }
  removeStaleTemporaries(path);
  file->fd_ = createTemporary(path, &file->tempPath_);
  if (file->fd_ < 0) {
    *error = osError("create", path, errno);
    file->tempPath_.clear();
    return nullptr;
  }
  return file;
}

AtomicFile::~AtomicFile() {
  if (!committed_) discard();
}

bool AtomicFile::setError(const std::string& what, int errorValue) {
  if (error_.empty()) error_ = osError(what, path_, errorValue);
  return false;
}

// Writes in slices, so that the progress bar moves during one large tensor too.
bool AtomicFile::writeOut(const char* data, size_t size) {
  while (size > 0) {
    size_t n = std::min(size, kSlice);
    if (!writeAll(fd_, data, n)) return setError("write", errno);
    progress_->advance(n);
    bytesWritten_ += n;
    data += n;
    size -= n;
    endsInHole_ = false;
    startWriteback();
  }
  return true;
}

// Every kWritebackStep bytes, asks the kernel to start writing what is written so far to
// the disk, without waiting for it. The disk then works while the rest of the file is
// produced, and the fsync in commit() waits for the tail only, where `cp` + `sync` pays
// for the copy and then for the whole writeback.
void AtomicFile::startWriteback() {
  if (tempPath_.empty() || bytesWritten_ - writebackFrom_ < kWritebackStep) return;
  ::sync_file_range(fd_, static_cast<off_t>(writebackFrom_),
                    static_cast<off_t>(bytesWritten_ - writebackFrom_), SYNC_FILE_RANGE_WRITE);
  writebackFrom_ = bytesWritten_;
}

// Copies what it can of bytes that lie in a mapped input file with copy_file_range, and
// returns how many bytes that was; the caller writes the rest. Copying inside the kernel
// skips faulting the mapping in and copying from it: 1 GB took 0.2 s instead of 0.5-1.0 s.
// Where it cannot (another filesystem, a device, the file replaced since it was mapped)
// nothing is copied, and a real I/O error shows again when the rest is written.
size_t AtomicFile::copyFromMappedFile(const char* data, size_t size) {
  std::optional<MappedFile::Source> source = MappedFile::sourceOf(data, size);
  if (!source) return 0;
  int in = ::open(source->path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return 0;
  size_t copied = 0;
  struct stat st;
  if (::fstat(in, &st) == 0 && uint64_t(st.st_dev) == source->device &&
      uint64_t(st.st_ino) == source->inode) {
    loff_t from = static_cast<loff_t>(source->offset);
    while (copied < size) {
      ssize_t n = ::copy_file_range(in, &from, fd_, nullptr, std::min(size - copied, kSlice), 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      copied += size_t(n);
      progress_->advance(size_t(n));
      bytesWritten_ += size_t(n);
      endsInHole_ = false;
      startWriteback();
    }
  }
  ::close(in);
  return copied;
}

bool AtomicFile::writeZeros(uint64_t size) {
  if (!flush()) return false;
  if (tempPath_.empty()) {
    static const char kZeros[1 << 16] = {};
    for (; size > 0; size -= std::min<uint64_t>(size, sizeof kZeros))
      if (!writeOut(kZeros, std::min<uint64_t>(size, sizeof kZeros))) return false;
    return true;
  }
  if (size == 0) return true;
  if (::lseek(fd_, static_cast<off_t>(size), SEEK_CUR) < 0) return setError("write", errno);
  progress_->advance(size);
  bytesWritten_ += size;
  endsInHole_ = true;
  return true;
}

bool AtomicFile::flush() {
  if (!error_.empty()) return false;
  bool ok = writeOut(buffer_.data(), buffer_.size());
  buffer_.clear();
  return ok;
}

bool AtomicFile::write(const void* data, size_t size) {
  if (!error_.empty()) return false;
  const char* bytes = static_cast<const char*>(data);
  if (buffer_.size() + size < kBufferSize) {
    buffer_.append(bytes, size);
    return true;
  }
  // Large blocks (whole tensors) bypass the buffer instead of being copied into it.
  if (!flush()) return false;
  size_t copied = copyFromMappedFile(bytes, size);
  return writeOut(bytes + copied, size - copied);
}

bool AtomicFile::commit(std::string* error) {
  assert(!committed_ && "commit() called twice");
  bool ok = flush();
  if (ok && endsInHole_ && ::ftruncate(fd_, static_cast<off_t>(bytesWritten_)) != 0)
    ok = setError("write", errno);
  if (ok && !tempPath_.empty() && ::fsync(fd_) != 0) ok = setError("write", errno);
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0 && ok) ok = setError("write", errno);
  if (ok && !tempPath_.empty() && ::rename(tempPath_.c_str(), path_.c_str()) != 0)
    ok = setError("write", errno);
  progress_->finish();
  if (!ok) {
    discard();
    *error = error_;
    return false;
  }
  if (!tempPath_.empty()) syncFolder(folderOf(path_));
  committed_ = true;
  spdlog::debug("wrote '{}' ({} bytes)", path_, bytesWritten_);
  return true;
}

void AtomicFile::discard() {
  progress_->finish();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!tempPath_.empty()) ::unlink(tempPath_.c_str());
  tempPath_.clear();
}

}  // namespace sketch
