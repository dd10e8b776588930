#include "torch_export.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/export.h>
#include <torch/csrc/jit/serialization/pickle.h>
#include <torch/script.h>

#include <cstring>
#include <unistd.h>

#include <cstdio>
#include <sstream>
#include <streambuf>

#include "core/atomic_file.h"

namespace sketch {

namespace {

c10::ScalarType scalarType(DType dtype) {
  switch (dtype) {
    case DType::Float32: return c10::kFloat;
    case DType::Float64: return c10::kDouble;
    case DType::Float16: return c10::kHalf;
    case DType::BFloat16: return c10::kBFloat16;
    case DType::Int64: return c10::kLong;
    case DType::Int32: return c10::kInt;
    case DType::Int16: return c10::kShort;
    case DType::Int8: return c10::kChar;
    case DType::UInt8: return c10::kByte;
    case DType::Bool: return c10::kBool;
  }
  return c10::kFloat;
}

/// A view of the store's bytes when they are aligned for their type (they outlive the
/// export); a copy otherwise, as a foreign file's header need not be padded.
at::Tensor toTorch(const Tensor& tensor) {
  at::TensorOptions options = at::TensorOptions().dtype(scalarType(tensor.dtype()));
  auto address = reinterpret_cast<uintptr_t>(tensor.data());
  if (tensor.byteSize() > 0 && address % dtypeSize(tensor.dtype()) == 0)
    return at::from_blob(const_cast<uint8_t*>(tensor.data()), tensor.shape(), options);
  at::Tensor out = at::empty(tensor.shape(), options);
  if (tensor.byteSize() > 0) std::memcpy(out.data_ptr(), tensor.data(), tensor.byteSize());
  return out;
}

/// Streams an archive into an AtomicFile, so the model is never held twice in memory.
class AtomicFileBuffer : public std::streambuf {
 public:
  explicit AtomicFileBuffer(AtomicFile& file) : file_(file) {}

 protected:
  std::streamsize xsputn(const char* data, std::streamsize size) override {
    file_.write(data, size_t(size));
    return size;
  }
  int_type overflow(int_type c) override {
    if (c == traits_type::eof()) return traits_type::not_eof(c);
    char byte = traits_type::to_char_type(c);
    file_.write(&byte, 1);
    return c;
  }

 private:
  AtomicFile& file_;
};

/// The weights of every parameter of the tree, by key; reports keys the store lacks.
std::optional<std::map<std::string, at::Tensor>> tensorsOf(const ModuleTree& tree,
                                                           const WeightStore& weights,
                                                           DiagnosticEngine& diags) {
  std::map<std::string, at::Tensor> out;
  bool complete = true;
  for (const TorchModule& m : tree.modules)
    for (const TorchParam& p : m.params) {
      const Tensor* t = weights.find(p.key);
      if (!t) {
        diags.reportFile(diag::InternalError, p.key, "internal error: no weights for '" + p.key + "'");
        complete = false;
        continue;
      }
      out[p.key] = toTorch(*t);
    }
  if (!complete) return std::nullopt;
  return out;
}

/// A sketch value as TorchScript sees a torch.nn constructor argument (lists as tuples).
c10::IValue toIValue(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::None: return {};
    case Value::Kind::Bool: return value.asBool();
    case Value::Kind::Int: return value.asInt();
    case Value::Kind::Float: return value.asNumber();
    case Value::Kind::String: return value.asString();
    case Value::Kind::List: break;
  }
  std::vector<c10::IValue> items;
  for (const Value& item : value.asList()) items.push_back(toIValue(item));
  return c10::ivalue::Tuple::create(std::move(items));
}

/// One class per module, so each has its own forward; `m<index>` keeps names unique, and
/// the last atom is what Python shows as original_name.
torch::jit::Module makeModule(const ModuleTree& tree, size_t index,
                              std::map<std::string, at::Tensor>& tensors,
                              const std::shared_ptr<torch::jit::CompilationUnit>& unit) {
  const TorchModule& spec = tree.modules[index];
  torch::jit::Module m(c10::QualifiedName("__torch__.sketch.m" + std::to_string(index) + "." + spec.type),
                       unit, true);
  // Without the attribute, train() and eval() silently do nothing.
  m.register_attribute("training", c10::BoolType::get(), true);
  for (const auto& [name, value] : spec.attributes) {
    c10::IValue ivalue = toIValue(value);
    m.register_attribute(name, ivalue.type(), ivalue);
  }
  for (const TorchParam& p : spec.params) {
    at::Tensor& t = tensors.at(p.key);
    if (!p.buffer && t.is_floating_point()) t.set_requires_grad(true);
    m.register_parameter(p.attribute, t, p.buffer);
  }
  for (size_t child : spec.children)
    m.register_module(tree.modules[child].name, makeModule(tree, child, tensors, unit));
  if (!spec.forward.empty()) m.define(spec.forward);
  return m;
}

void reportInternal(const std::string& path, const std::string& what, DiagnosticEngine& diags) {
  diags.reportFile(diag::InternalError, path,
                   "internal error: the generated TorchScript does not compile: " + what);
}

/// Standard output cannot be renamed into place: the archive is built in memory first.
bool writeToStdout(const ModuleTree& tree, std::map<std::string, at::Tensor>& tensors,
                   const ExportOptions& options, DiagnosticEngine& diags) {
  std::ostringstream bytes;
  try {
    makeModule(tree, 0, tensors, std::make_shared<torch::jit::CompilationUnit>()).save(bytes, {{kInterfaceFile, tree.interface}});
  } catch (const c10::Error& e) {
    reportInternal(options.outputPath, e.what_without_backtrace(), diags);
    return false;
  } catch (const std::exception& e) {  // torch::jit::ErrorReport from define
    reportInternal(options.outputPath, e.what(), diags);
    return false;
  }
  std::string data = bytes.str();
  return writeAtomically("-", data.data(), data.size(), options, diags);
}

/// The archive torch::jit::pickle_save makes (what torch.load reads), written record by
/// record into `file`: the tensors go from the store's (mapped) bytes to the file instead of
/// being gathered into one buffer first. Throws c10::Error when a write fails.
void writeStateDictArchive(const c10::IValue& value, AtomicFile& file) {
  std::vector<char> pickle;
  torch::jit::Pickler pickler(
      [&](const char* bytes, size_t size) { pickle.insert(pickle.end(), bytes, bytes + size); });
  pickler.protocol();
  pickler.pushIValue(value);
  pickler.stop();
  caffe2::serialize::PyTorchStreamWriter writer(
      [&](const void* bytes, size_t size) { return file.write(bytes, size) ? size : 0; });
  torch::jit::writeArchiveAndTensors("data", pickle.data(), pickle.size(), pickler.tensorData(),
                                     writer);
  writer.writeEndOfFile();
}

}  // namespace

bool writeAtomically(const std::string& path, const void* bytes, size_t size,
                     const ExportOptions& options, DiagnosticEngine& diags) {
  if (path == "-") {
    if (::isatty(STDOUT_FILENO)) {
      diags.reportFile(diag::FileWrite, "<stdout>", "refusing to write a binary model to a terminal")
          .help = "redirect standard output, or name a file with -o";
      return false;
    }
    if (std::fwrite(bytes, 1, size, stdout) == size && std::fflush(stdout) == 0) return true;
    diags.reportFile(diag::FileWrite, "<stdout>", "cannot write the model");
    return false;
  }
  std::string error;
  std::unique_ptr<AtomicFile> file = AtomicFile::open(path, &error, options.protectedPaths);
  if (file) file->write(bytes, size);
  if (file && file->commit(&error)) return true;
  diags.reportFile(diag::FileWrite, path, error);
  return false;
}

bool writeTorchScript(const ModuleTree& tree, const WeightStore& weights,
                      const ExportOptions& options, DiagnosticEngine& diags) {
  auto tensors = tensorsOf(tree, weights, diags);
  if (!tensors) return false;
  if (options.outputPath == "-") return writeToStdout(tree, *tensors, options, diags);
  std::string error;
  std::unique_ptr<AtomicFile> file =
      AtomicFile::open(options.outputPath, &error, options.protectedPaths);
  if (!file) {
    diags.reportFile(diag::FileWrite, options.outputPath, error);
    return false;
  }
  try {
    torch::jit::Module model =
        makeModule(tree, 0, *tensors, std::make_shared<torch::jit::CompilationUnit>());
    AtomicFileBuffer buffer(*file);
    std::ostream stream(&buffer);
    model.save(stream, {{kInterfaceFile, tree.interface}});
  } catch (const c10::Error& e) {
    reportInternal(options.outputPath, e.what_without_backtrace(), diags);
    return false;
  } catch (const std::exception& e) {  // torch::jit::ErrorReport from define
    reportInternal(options.outputPath, e.what(), diags);
    return false;
  }
  if (file->commit(&error)) return true;
  diags.reportFile(diag::FileWrite, options.outputPath, error);
  return false;
}

bool writeStateDict(const ModuleTree& tree, const WeightStore& weights,
                    const ExportOptions& options, DiagnosticEngine& diags) {
  auto tensors = tensorsOf(tree, weights, diags);
  if (!tensors) return false;
  // In the order PyTorch lists them: module by module, parameters before children.
  c10::Dict<std::string, at::Tensor> dict;
  for (const TorchModule& m : tree.modules)
    for (const TorchParam& p : m.params) dict.insert(p.key, tensors->at(p.key));
  if (options.outputPath == "-") {
    std::vector<char> data = torch::jit::pickle_save(c10::IValue(dict));
    return writeAtomically("-", data.data(), data.size(), options, diags);
  }
  std::string error;
  std::unique_ptr<AtomicFile> file =
      AtomicFile::open(options.outputPath, &error, options.protectedPaths);
  if (file) {
    try {
      writeStateDictArchive(c10::IValue(dict), *file);
    } catch (const c10::Error& e) {
      reportInternal(options.outputPath, e.what_without_backtrace(), diags);
      return false;
    }
  }
  if (file && file->commit(&error)) return true;
  diags.reportFile(diag::FileWrite, options.outputPath, error);
  return false;
}

}  // namespace sketch
