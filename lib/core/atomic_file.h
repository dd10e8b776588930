// AtomicFile: an output file that appears complete or not at all.
//
// Bytes go to a temporary file in the destination's folder (same filesystem, so the final
// rename is atomic); commit() flushes, fsyncs and renames it into place. An AtomicFile
// destroyed without commit() removes its temporary file, so a failed run leaves neither a
// partial file nor debris. A run killed with SIGKILL leaves its hidden temporary
// (`.<name>.tmp<pid>-<n>`); the next run writing the same output removes it. Writes are
// buffered and streamed: a large model never has to be held in memory, and the disk starts
// writing every 16 MB, so that commit() waits for the tail only. Bytes that lie in a
// mapped input file (core/mapped_file.h) are copied file to file inside the kernel, as cp
// does. Paths given as protected (the run's inputs) are never overwritten.
//
// A destination that exists and is not a regular file (/dev/null, a FIFO) is written in
// place: renaming over a device node would replace the node itself.
//
// A large file shows its progress on a terminal (core/progress.h) as it is written.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/progress.h"

namespace sketch {

class AtomicFile {
 public:
  /// Starts writing `path`. Returns null and sets `error` ("cannot create 'out/x.onnx': No
  /// such file or directory") when the temporary file cannot be made, when `path` is a
  /// folder, or when `path` names the same file as one of `protectedPaths`.
  static std::unique_ptr<AtomicFile> open(const std::string& path, std::string* error,
                                          const std::vector<std::string>& protectedPaths = {});

  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Appends bytes. Failures are sticky: after one, writes are ignored and commit() reports
  /// the first error, so callers may check only at the end.
  bool write(const void* data, size_t size);
  bool write(std::string_view text) { return write(text.data(), text.size()); }
  /// Appends `size` zero bytes. A temporary file gets a hole there (nothing is written;
  /// reading gives zeros); a file written in place gets the zeros.
  bool writeZeros(uint64_t size);

  /// Announces the final size, so that the progress bar of a large file can show how far
  /// it is; without it the bar shows the bytes written so far.
  void expectSize(uint64_t bytes) { progress_->setTotal(bytes); }

  /// Flushes, fsyncs and renames the temporary file onto the destination. On failure the
  /// temporary file is removed and `error` says why; the destination is left untouched.
  bool commit(std::string* error);

  /// The first write failure so far ("cannot write 'x.onnx': No space left on device"), or
  /// empty.
  const std::string& error() const { return error_; }

  /// The destination path, as given.
  const std::string& path() const { return path_; }

 private:
  AtomicFile() = default;
  bool flush();
  bool writeOut(const char* data, size_t size);
  size_t copyFromMappedFile(const char* data, size_t size);
  void startWriteback();
  bool setError(const std::string& what, int errorValue);
  void discard();

  std::string path_;
  std::string tempPath_;  // empty when writing in place
  int fd_ = -1;
  std::string buffer_;
  std::string error_;  // the first failure
  bool committed_ = false;
  std::unique_ptr<ProgressBar> progress_;
  uint64_t bytesWritten_ = 0;
  bool endsInHole_ = false;  // the file must be extended over a final hole at commit
  uint64_t writebackFrom_ = 0;  // bytes before this offset have been sent to the disk
};

}  // namespace sketch
