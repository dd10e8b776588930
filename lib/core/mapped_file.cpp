#include "core/mapped_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

#include <dlfcn.h>
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

/// The files mapped now, by the address of their first byte.
class MappingRegistry {
 public:
  static MappingRegistry& instance();
  void add(const uint8_t* begin, size_t size, MappedFile::Source file) {
    std::lock_guard<std::mutex> lock(mutex_);
    mappings_[reinterpret_cast<uintptr_t>(begin)] = {size, std::move(file)};
  }
  void remove(const uint8_t* begin) {
    std::lock_guard<std::mutex> lock(mutex_);
    mappings_.erase(reinterpret_cast<uintptr_t>(begin));
  }
  std::optional<MappedFile::Source> find(uintptr_t address, size_t size) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = mappings_.upper_bound(address);
    if (it == mappings_.begin()) return std::nullopt;
    --it;
    uint64_t offset = address - it->first;
    if (offset > it->second.size || size > it->second.size - offset) return std::nullopt;
    MappedFile::Source source = it->second.file;
    source.offset = offset;
    return source;
  }

 private:
  struct Mapping {
    size_t size;
    MappedFile::Source file;
  };
  std::mutex mutex_;
  std::map<uintptr_t, Mapping> mappings_;
};

MappingRegistry* ownRegistry() {
  // Never destroyed: a MappedFile may outlive static destruction.
  static MappingRegistry* registry = new MappingRegistry;
  return registry;
}

}  // namespace

/// The tools export this one symbol (lib/CMakeLists.txt), so that a kernel module, which
/// links its own copy of libsketch, finds the tool's registry through the dynamic linker.
extern "C" __attribute__((visibility("default"))) void* sketch_mapping_registry() {
  return ownRegistry();
}

/// One registry per process: the tool maps the inputs and a module's kernel writes the
/// outputs, and the kernel must see the tool's mappings. dlsym with RTLD_DEFAULT searches
/// the executable, not a module loaded with RTLD_LOCAL; a process whose executable does not
/// export the symbol keeps a registry per copy of libsketch.
MappingRegistry& MappingRegistry::instance() {
  static MappingRegistry* registry = [] {
    auto shared = reinterpret_cast<void* (*)()>(::dlsym(RTLD_DEFAULT, "sketch_mapping_registry"));
    return shared ? static_cast<MappingRegistry*>(shared()) : ownRegistry();
  }();
  return *registry;
}

std::optional<MappedFile::Source> MappedFile::sourceOf(const void* data, size_t size) {
  return MappingRegistry::instance().find(reinterpret_cast<uintptr_t>(data), size);
}

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
      MappingRegistry::instance().add(file->data_, file->size_,
                                      {path, uint64_t(st.st_dev), uint64_t(st.st_ino), 0});
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
  if (!mapped_) return;
  MappingRegistry::instance().remove(data_);
  ::munmap(const_cast<uint8_t*>(data_), size_);
}

}  // namespace sketch
