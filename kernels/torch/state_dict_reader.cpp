#include "state_dict_reader.h"

#include <caffe2/serialize/inline_container.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "core/mapped_file.h"
#include "state_dict_unpickler.h"

namespace sketch {

namespace {

using caffe2::serialize::PyTorchStreamReader;

std::string recordText(PyTorchStreamReader& reader, const std::string& name) {
  auto [data, size] = reader.getRecord(name);
  return std::string(static_cast<const char*>(data.get()), size);
}

/// A storage record's bytes: a view of the mapped archive, or LibTorch's copy of the record.
struct Record {
  std::shared_ptr<const void> owner;
  const char* data = nullptr;
  size_t size = 0;
};

/// LibTorch reads the archive through the mapping, so the records it reads and the bytes
/// viewed in place come from the same file.
class MappedFileAdapter : public caffe2::serialize::ReadAdapterInterface {
 public:
  explicit MappedFileAdapter(std::shared_ptr<const MappedFile> file) : file_(std::move(file)) {}
  size_t size() const override { return file_->size(); }
  size_t read(uint64_t pos, void* buf, size_t n, const char*) const override {
    if (pos >= file_->size()) return 0;
    n = std::min<uint64_t>(n, file_->size() - pos);
    std::memcpy(buf, file_->data() + pos, n);
    return n;
  }

 private:
  std::shared_ptr<const MappedFile> file_;
};

struct Archive {
  std::shared_ptr<const MappedFile> file;
  std::unique_ptr<PyTorchStreamReader> reader;
};

std::optional<Archive> openArchive(const std::string& path, DiagnosticEngine& diags) {
  // LibTorch says only "file not found" or "not a zip archive": say why a path cannot be read.
  std::string error;
  int errorNumber = 0;
  std::shared_ptr<const MappedFile> file = MappedFile::open(path, &error, &errorNumber);
  if (!file) {
    diags.reportFile(diag::openFailure(errorNumber), path, error);
    return std::nullopt;
  }
  try {
    return Archive{file, std::make_unique<PyTorchStreamReader>(
                             std::make_shared<MappedFileAdapter>(file))};
  } catch (const std::exception&) {
    diags.reportFile(diag::ImportError, path, "not a PyTorch zip archive")
        .help = "files from torch.save in PyTorch before 1.6 (or with "
                "_use_new_zipfile_serialization=False) must be saved again with a newer torch.save";
    return std::nullopt;
  }
}

uint64_t littleEndian(const char* bytes, int size) {
  uint64_t value = 0;
  for (int i = size; i-- > 0;) value = value << 8 | uint8_t(bytes[i]);
  return value;
}

/// The `size` bytes of record `name` in the mapped archive, when the zip stores them
/// uncompressed as torch.save does (a zip tool may have compressed them since). LibTorch
/// gives where the data starts; the record's local zip header ends there, after the file
/// name (".../" + name) and an extra field. The header says how the data is stored, and its
/// size either itself (in the ZIP64 extra block when the 32-bit field is 0xFFFFFFFF) or, as
/// torch.save writes it, in a data descriptor right after the data. Nothing when any of it
/// does not check out: then LibTorch reads the record.
std::optional<std::string_view> storedRecord(std::string_view archive, uint64_t dataOffset,
                                             const std::string& name, uint64_t size) {
  constexpr uint64_t kHeader = 30, kMaxField = 0xFFFF, kMax32 = 0xFFFFFFFF;
  const std::string suffix = "/" + name;
  if (dataOffset > archive.size() || dataOffset < kHeader + suffix.size() ||
      size > archive.size() - dataOffset)
    return std::nullopt;
  const char* data = archive.data() + dataOffset;
  uint64_t lowest = dataOffset - std::min(dataOffset, kHeader + 2 * kMaxField);
  for (uint64_t at = dataOffset - kHeader - suffix.size() + 1; at-- > lowest;) {
    const char* header = archive.data() + at;
    if (std::memcmp(header, "PK\x03\x04", 4) != 0) continue;
    uint64_t nameSize = littleEndian(header + 26, 2), extraSize = littleEndian(header + 28, 2);
    if (at + kHeader + nameSize + extraSize != dataOffset || nameSize < suffix.size() ||
        std::string_view(header + kHeader + nameSize - suffix.size(), suffix.size()) != suffix)
      continue;
    uint64_t flags = littleEndian(header + 6, 2), method = littleEndian(header + 8, 2);
    if (method != 0 || (flags & 1) != 0) return std::nullopt;  // compressed, or encrypted
    uint64_t stored = littleEndian(header + 22, 4);
    if (flags & 8) {  // sized after the data: "PK\x07\x08", CRC-32, two sizes of 8 or 4 bytes
      uint64_t room = archive.size() - dataOffset - size;
      const char* descriptor = data + size;
      bool wide = room >= 24 && littleEndian(descriptor + 8, 8) == size &&
                  littleEndian(descriptor + 16, 8) == size;
      bool narrow = room >= 16 && littleEndian(descriptor + 8, 4) == size &&
                    littleEndian(descriptor + 12, 4) == size;
      if (room < 16 || std::memcmp(descriptor, "PK\x07\x08", 4) != 0 || !(wide || narrow))
        return std::nullopt;
      stored = size;
    } else if (stored == kMax32) {  // ZIP64: the 64-bit size opens the extra block 0x0001
      std::string_view extra(header + kHeader + nameSize, extraSize);
      while (extra.size() >= 4 && stored == kMax32) {
        uint64_t id = littleEndian(extra.data(), 2), blockSize = littleEndian(extra.data() + 2, 2);
        if (blockSize > extra.size() - 4) break;
        if (id == 1 && blockSize >= 8) stored = littleEndian(extra.data() + 4, 8);
        extra.remove_prefix(4 + blockSize);
      }
    }
    if (stored != size) return std::nullopt;
    return std::string_view(data, size);
  }
  return std::nullopt;
}

/// The storage record of `tensor`: in place when the archive stores it uncompressed with
/// the size the pickle gives, else read by LibTorch.
std::shared_ptr<const Record> readStorage(const Archive& archive, const PickledTensor& tensor) {
  std::string name = "data/" + tensor.storageKey;
  uint64_t offset = archive.reader->getRecordOffset(name), size;
  if (tensor.storageElements >= 0 &&
      !__builtin_mul_overflow(uint64_t(tensor.storageElements), dtypeSize(tensor.dtype), &size))
    if (auto stored = storedRecord(archive.file->bytes(), offset, name, size))
      return std::make_shared<Record>(Record{archive.file, stored->data(), stored->size()});
  auto [data, bytes] = archive.reader->getRecord(name);
  auto owner = std::make_shared<at::DataPtr>(std::move(data));
  return std::make_shared<Record>(Record{owner, static_cast<const char*>(owner->get()), bytes});
}

/// Whether every element of the view lies inside the storage. Checked before the tensor is
/// allocated, with overflow-safe arithmetic: a small file must not be able to claim a huge
/// tensor over a tiny storage.
bool fitsStorage(const Record& storage, const PickledTensor& view) {
  if (view.storageOffset < 0) return false;
  for (size_t d = 0; d < view.shape.size(); ++d)
    if (view.shape[d] < 0 || view.stride[d] < 0) return false;
  uint64_t last = uint64_t(view.storageOffset);  // index of the last element reached
  for (size_t d = 0; d < view.shape.size(); ++d) {
    if (view.shape[d] == 0) return true;
    uint64_t reach;
    if (__builtin_mul_overflow(uint64_t(view.shape[d] - 1), uint64_t(view.stride[d]), &reach) ||
        __builtin_add_overflow(last, reach, &last))
      return false;
  }
  uint64_t end, elements = 1;
  // Zero strides repeat elements, so the view's own size is bounded by the storage too.
  for (int64_t d : view.shape)
    if (__builtin_mul_overflow(elements, uint64_t(d), &elements)) return false;
  return !__builtin_add_overflow(last, 1, &end) &&
         !__builtin_mul_overflow(end, uint64_t(dtypeSize(view.dtype)), &end) &&
         end <= storage.size && elements <= storage.size / dtypeSize(view.dtype);
}

/// The tensor of a view of `storage` that fitsStorage has accepted: the storage's own
/// bytes when the view is contiguous, else its elements gathered in C order.
Tensor tensorOf(const std::shared_ptr<const Record>& storage, const PickledTensor& view) {
  size_t element = dtypeSize(view.dtype);
  size_t bytes = *Tensor::byteSizeOf(view.dtype, view.shape);  // fitsStorage bounds it
  if (bytes > 0 && isRowMajor(view.shape, view.stride)) {
    const auto* data =
        reinterpret_cast<const uint8_t*>(storage->data) + view.storageOffset * element;
    return Tensor::view(view.dtype, view.shape, data, bytes, storage);
  }
  Tensor out = *Tensor::zeros(view.dtype, view.shape);
  uint8_t* to = out.mutableData();
  std::vector<int64_t> index(view.shape.size(), 0);
  for (int64_t n = 0; n < out.numel(); ++n) {
    int64_t from = view.storageOffset;
    for (size_t d = 0; d < index.size(); ++d) from += index[d] * view.stride[d];
    std::memcpy(to + n * element, storage->data + from * element, element);
    for (size_t d = index.size(); d-- > 0;) {  // next index in C order
      if (++index[d] < view.shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

/// The first source record of a TorchScript archive that mentions __setstate__, if any.
/// torch::jit::load runs a class's __setstate__ while it loads the archive, and TorchScript
/// can write files (torch.from_file(path, shared=True)). Every class is compiled from a .py
/// record of the archive, so a method by that name cannot hide elsewhere.
std::optional<std::string> recordWithLoadTimeCode(PyTorchStreamReader& reader) {
  for (const std::string& name : reader.getAllRecords()) {
    if (name.size() < 3 || name.compare(name.size() - 3, 3, ".py") != 0) continue;
    if (recordText(reader, name).find("__setstate__") != std::string::npos) return name;
  }
  return std::nullopt;
}

}  // namespace

TorchFileKind classifyTorchFile(const std::string& path, DiagnosticEngine& diags) {
  std::optional<Archive> archive = openArchive(path, diags);
  if (!archive) return TorchFileKind::Unreadable;
  PyTorchStreamReader* reader = archive->reader.get();
  if (reader->hasRecord("constants.pkl")) {
    std::optional<std::string> code;
    try {
      code = recordWithLoadTimeCode(*reader);
    } catch (const c10::Error& e) {
      diags.reportFile(diag::ImportError, path,
                       std::string("damaged archive: ") + e.what_without_backtrace());
      return TorchFileKind::Unreadable;
    }
    if (!code) return TorchFileKind::TorchScript;
    diags.reportFile(diag::ImportError, path,
                     "refusing to load it: record '" + *code +
                         "' mentions __setstate__, a method torch.jit.load runs while loading")
        .help = "nothing in an imported file is run; script the model without a custom "
                "__setstate__ (quantized modules are not supported)";
    return TorchFileKind::Unreadable;
  }
  if (reader->hasRecord("data.pkl")) return TorchFileKind::StateDict;
  diags.reportFile(diag::ImportError, path, "the archive has no data.pkl record");
  return TorchFileKind::Unreadable;
}

std::optional<WeightStore> readStateDict(const std::string& path, DiagnosticEngine& diags) {
  std::optional<Archive> archive = openArchive(path, diags);
  if (!archive) return std::nullopt;
  PyTorchStreamReader* reader = archive->reader.get();
  try {
    if (reader->hasRecord("byteorder") && recordText(*reader, "byteorder") != "little") {
      diags.reportFile(diag::ImportError, path, "big-endian tensors are not supported");
      return std::nullopt;
    }
    UnpickleResult pickled = unpickleStateDict(recordText(*reader, "data.pkl"));
    if (!pickled.error.empty()) {
      diags.reportFile(diag::ImportError, path, "refusing to read it: " + pickled.error)
          .help = "only plain state_dicts are read, and nothing in them is run; a whole "
                  "pickled module needs its Python classes: save torch.save(model.state_dict()) "
                  "or a TorchScript archive with torch.jit.save(torch.jit.script(model))";
      return std::nullopt;
    }
    std::map<std::string, std::shared_ptr<const Record>> storages;
    WeightStore weights;
    for (const PickledTensor& t : pickled.tensors) {
      auto it = storages.find(t.storageKey);
      if (it == storages.end()) it = storages.emplace(t.storageKey, readStorage(*archive, t)).first;
      if (!fitsStorage(*it->second, t)) {
        diags.reportFile(diag::ImportError, path, "tensor '" + t.name + "' lies outside its storage");
        return std::nullopt;
      }
      weights.insert(t.name, tensorOf(it->second, t));
    }
    return weights;
  } catch (const c10::Error& e) {  // a missing or damaged record
    diags.reportFile(diag::ImportError, path,
                     std::string("damaged archive: ") + e.what_without_backtrace());
    return std::nullopt;
  }
}

}  // namespace sketch
