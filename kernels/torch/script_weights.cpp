#include "script_weights.h"

#include "script_tensors.h"

#include <spdlog/spdlog.h>

#include <map>
#include <sstream>
#include <unordered_set>

#include "mapped_archive.h"

namespace sketch {

namespace {

/// LibTorch's reader over a mapped TorchScript archive that leaves the weights in the file.
/// LibTorch copies each record it reads into memory it allocates. For the stored data/
/// records, which hold the module's tensors, this reader skips the copy and notes the
/// buffer; once the module is loaded, place() points each storage that holds such a buffer
/// at the record's bytes in the mapping, and the buffer, never touched, goes. Code and
/// constants are read as before.
class InPlaceWeightsReader final : public MappedFileAdapter {
 public:
  explicit InPlaceWeightsReader(std::shared_ptr<const MappedFile> file)
      : MappedFileAdapter(std::move(file)) {
    caffe2::serialize::PyTorchStreamReader reader(
        std::make_shared<MappedFileAdapter>(this->file()));
    for (const std::string& name : reader.getAllRecords())
      if (name.rfind("data/", 0) == 0) dataRecords_[reader.getRecordOffset(name)] = name;
  }

  size_t read(uint64_t pos, void* buf, size_t n, const char* what) const override {
    const char* begin = static_cast<const char*>(buf);
    auto record = dataRecords_.find(pos);
    if (record != dataRecords_.end() && storedRecord(file()->bytes(), pos, record->second, n)) {
      skipped_[begin] = {pos, n};
      return n;
    }
    // Memory that held a skipped buffer may hold something else now.
    auto it = skipped_.upper_bound(begin);
    if (it != skipped_.begin() && std::prev(it)->first + std::prev(it)->second.size > begin) --it;
    while (it != skipped_.end() && it->first < begin + n) it = skipped_.erase(it);
    return MappedFileAdapter::read(pos, buf, n, what);
  }

  /// Points every storage in `root`'s object graph whose buffer was skipped at the mapped
  /// bytes. False if a skipped buffer is not reached: it holds no bytes, so the module must
  /// not be used.
  bool place(const c10::IValue& root) {
    std::unordered_set<const void*> seen;
    std::vector<c10::IValue> pending{root};
    while (!pending.empty()) {
      c10::IValue value = std::move(pending.back());
      pending.pop_back();
      if (value.isTensor()) {
        placeStorage(value.toTensor());
      } else if (value.isObject()) {
        auto object = value.toObject();
        if (seen.insert(object.get()).second)
          pending.insert(pending.end(), object->slots().begin(), object->slots().end());
      } else if (value.isList()) {
        for (const c10::IValue& item : value.toListRef()) pending.push_back(item);
      } else if (value.isTuple()) {
        for (const c10::IValue& item : value.toTupleRef().elements()) pending.push_back(item);
      } else if (value.isGenericDict()) {
        for (const auto& entry : value.toGenericDict()) {
          pending.push_back(entry.key());
          pending.push_back(entry.value());
        }
      }
    }
    return skipped_.empty();
  }

 private:
  struct Skipped {
    uint64_t offset;
    size_t size;
  };

  void placeStorage(const at::Tensor& tensor) {
    if (!tensor.defined() || !tensor.has_storage()) return;
    const c10::Storage& storage = tensor.storage();
    auto it = skipped_.find(static_cast<const char*>(storage.data()));
    if (it == skipped_.end() || storage.nbytes() != it->second.size) return;
    // The storage keeps the mapping; nothing writes to a loaded module's weights.
    auto* owner = new std::shared_ptr<const MappedFile>(file());
    void* bytes = const_cast<uint8_t*>(file()->data() + it->second.offset);
    storage.set_data_ptr_noswap(c10::DataPtr(
        bytes, owner, [](void* p) { delete static_cast<std::shared_ptr<const MappedFile>*>(p); },
        c10::Device(c10::kCPU)));
    skipped_.erase(it);
  }

  std::map<uint64_t, std::string> dataRecords_;  // the data/ records by data offset
  mutable std::map<const char*, Skipped> skipped_;  // by buffer; read() is const
};

std::optional<DType> sketchDType(c10::ScalarType type) {
  switch (type) {
    case c10::kFloat: return DType::Float32;
    case c10::kDouble: return DType::Float64;
    case c10::kHalf: return DType::Float16;
    case c10::kBFloat16: return DType::BFloat16;
    case c10::kLong: return DType::Int64;
    case c10::kInt: return DType::Int32;
    case c10::kShort: return DType::Int16;
    case c10::kChar: return DType::Int8;
    case c10::kByte: return DType::UInt8;
    case c10::kBool: return DType::Bool;
    default: return std::nullopt;
  }
}

bool add(WeightStore& weights, const std::string& name, const at::Tensor& value,
         const std::string& path, DiagnosticEngine& diags) {
  std::optional<DType> dtype = sketchDType(value.scalar_type());
  if (!dtype) {
    diags.reportFile(diag::UnsupportedAttribute, path,
                     "tensor '" + name + "' has unsupported type " +
                         std::string(c10::toString(value.scalar_type())));
    return false;
  }
  // The store views LibTorch's memory, which the tensor handle keeps alive (the module
  // loader keeps LibTorch mapped: RTLD_NODELETE).
  auto dense = std::make_shared<at::Tensor>(value.detach().to(at::kCPU).contiguous());
  const auto* data = static_cast<const uint8_t*>(dense->data_ptr());
  weights.insert(name, Tensor::view(*dtype, dense->sizes().vec(), data, dense->nbytes(), dense));
  return true;
}

}  // namespace

bool addModuleTensors(const torch::jit::Module& module,
                       const std::function<bool(const std::string&)>& keep,
                       WeightStore& weights, const std::string& path, DiagnosticEngine& diags) {
  for (const auto& p : module.named_parameters(true))
    if (keep(p.name) && !add(weights, p.name, p.value, path, diags)) return false;
  for (const auto& b : module.named_buffers(true))
    if (keep(b.name) && !add(weights, b.name, b.value, path, diags)) return false;
  return true;
}

torch::jit::Module LoadedCode::load(const std::string& path, torch::jit::ExtraFilesMap& extra) {
  std::string error;
  if (std::shared_ptr<const MappedFile> file = MappedFile::open(path, &error)) {
    auto reader = std::make_shared<InPlaceWeightsReader>(file);
    torch::jit::Module module =
        torch::jit::import_ir_module(unit_, reader, c10::Device(c10::kCPU), extra);
    if (reader->place(module._ivalue())) return module;
    spdlog::debug("'{}': a weight record is used outside the module's objects; reading it "
                  "again, every record copied", path);
    unit_->drop_all_functions();
    unit_ = std::make_shared<torch::jit::CompilationUnit>();
  }
  return torch::jit::import_ir_module(unit_, path, c10::Device(c10::kCPU), extra);
}

void reportTorchError(const std::string& path, const std::string& what, DiagnosticEngine& diags) {
  std::vector<std::string> lines;
  std::istringstream text(what);
  for (std::string line; std::getline(text, line);) {
    line.erase(line.find_last_not_of(" \t\r") + 1);
    if (!line.empty()) lines.push_back(line);
  }
  if (lines.empty()) lines.push_back("LibTorch gave no reason");
  Diagnostic& d = diags.reportFile(diag::ModelDamaged, path,
                                   "cannot read the TorchScript archive: " + lines.front());
  if (lines.size() > 1) {
    std::string quoted;
    for (size_t i = 1; i < lines.size(); ++i) quoted += (i > 1 ? "\n" : "") + lines[i];
    addNote(d, Span{}, quoted);
  }
}

std::optional<WeightStore> readTorchScriptWeights(const std::string& path, DiagnosticEngine& diags) {
  LoadedCode code;
  return reportingTorchErrors(path, diags, [&]() -> std::optional<WeightStore> {
    torch::jit::ExtraFilesMap noExtraFiles;
    torch::jit::Module model = code.load(path, noExtraFiles);
    WeightStore weights;
    if (!addModuleTensors(model, [](const std::string&) { return true; }, weights, path, diags))
      return std::nullopt;
    return weights;
  });
}

}  // namespace sketch
