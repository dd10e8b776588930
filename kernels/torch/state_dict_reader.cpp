#include "state_dict_reader.h"

#include <caffe2/serialize/inline_container.h>

#include <cstring>
#include <map>

#include "core/mapped_file.h"
#include "mapped_archive.h"
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
    diags.reportFile(diag::ModelDamaged, path, "not a PyTorch zip archive")
        .help = "files from torch.save in PyTorch before 1.6 (or with "
                "_use_new_zipfile_serialization=False) must be saved again with a newer torch.save";
    return std::nullopt;
  }
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
      diags.reportFile(diag::ModelDamaged, path,
                       std::string("damaged archive: ") + e.what_without_backtrace());
      return TorchFileKind::Unreadable;
    }
    if (!code) return TorchFileKind::TorchScript;
    diags.reportFile(diag::UnsafeModel, path,
                     "refusing to load it: record '" + *code +
                         "' mentions __setstate__, a method torch.jit.load runs while loading")
        .help = "nothing in an imported file is run; script the model without a custom "
                "__setstate__ (quantized modules are not supported)";
    return TorchFileKind::Unreadable;
  }
  if (reader->hasRecord("data.pkl")) return TorchFileKind::StateDict;
  diags.reportFile(diag::ModelDamaged, path, "the archive has no data.pkl record");
  return TorchFileKind::Unreadable;
}

std::optional<WeightStore> readStateDict(const std::string& path, DiagnosticEngine& diags) {
  std::optional<Archive> archive = openArchive(path, diags);
  if (!archive) return std::nullopt;
  PyTorchStreamReader* reader = archive->reader.get();
  try {
    if (reader->hasRecord("byteorder") && recordText(*reader, "byteorder") != "little") {
      diags.reportFile(diag::UnsupportedAttribute, path, "big-endian tensors are not supported");
      return std::nullopt;
    }
    UnpickleResult pickled = unpickleStateDict(recordText(*reader, "data.pkl"));
    if (!pickled.error.empty()) {
      diags.reportFile(diag::UnsafeModel, path, "refusing to read it: " + pickled.error)
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
        diags.reportFile(diag::ModelDamaged, path, "tensor '" + t.name + "' lies outside its storage");
        return std::nullopt;
      }
      weights.insert(t.name, tensorOf(it->second, t));
    }
    return weights;
  } catch (const c10::Error& e) {  // a missing or damaged record
    diags.reportFile(diag::ModelDamaged, path,
                     std::string("damaged archive: ") + e.what_without_backtrace());
    return std::nullopt;
  }
}

}  // namespace sketch
