// PyTorch zip archives read through their memory mapping: LibTorch's stream reader reads
// the mapped bytes, and a record that the zip stores uncompressed can be viewed in place
// instead of copied. Includes only LibTorch's archive reader.
#pragma once

#include <caffe2/serialize/read_adapter_interface.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/mapped_file.h"

namespace sketch {

/// The mapped file as LibTorch's reader input, so that the records it reads and the bytes
/// viewed in place come from the same file.
class MappedFileAdapter : public caffe2::serialize::ReadAdapterInterface {
 public:
  explicit MappedFileAdapter(std::shared_ptr<const MappedFile> file) : file_(std::move(file)) {}
  size_t size() const override { return file_->size(); }
  size_t read(uint64_t pos, void* buf, size_t n, const char* what = "") const override;
  const std::shared_ptr<const MappedFile>& file() const { return file_; }

 private:
  std::shared_ptr<const MappedFile> file_;
};

/// The `size` bytes of record `name` in `archive`, when the zip stores them uncompressed,
/// as torch.save and torch.jit.save do (a zip tool may have compressed them since).
/// LibTorch gives where the data starts (getRecordOffset); the record's local zip header
/// ends there, after the file name (".../" + name) and an extra field. The header says how
/// the data is stored, and its size either itself (in the ZIP64 extra block when the 32-bit
/// field is 0xFFFFFFFF) or, as LibTorch's writer does, in a data descriptor right after the
/// data. Nothing when any of it does not check out: then LibTorch reads the record.
std::optional<std::string_view> storedRecord(std::string_view archive, uint64_t dataOffset,
                                             const std::string& name, uint64_t size);

}  // namespace sketch
