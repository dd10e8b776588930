#include "write_model.h"

#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <climits>
#include <filesystem>

#include "core/atomic_file.h"

namespace sketch {

namespace {

/// Protobuf's output stream over an AtomicFile.
class AtomicFileStream : public google::protobuf::io::CopyingOutputStream {
 public:
  explicit AtomicFileStream(AtomicFile& file) : file_(file) {}
  bool Write(const void* buffer, int size) override { return file_.write(buffer, size); }

 private:
  AtomicFile& file_;
};

constexpr size_t kAlignment = 4096;
// Small tensors (shape constants) stay inline even with external data, as onnx does.
constexpr size_t kExternalThreshold = 1024;

void setTensorHeader(onnx::TensorProto& proto, const Initializer& init) {
  proto.set_name(init.name);
  proto.set_data_type(onnxType(init.tensor.dtype()));
  for (int64_t d : init.tensor.shape()) proto.add_dims(d);
}

void addExternalEntry(onnx::TensorProto& proto, const std::string& key, const std::string& value) {
  onnx::StringStringEntryProto& e = *proto.add_external_data();
  e.set_key(key);
  e.set_value(value);
}

/// Writes the large initializers to `dataPath` and points the model at it.
bool writeExternalData(onnx::ModelProto& model, const std::vector<Initializer>& initializers,
                       const std::string& dataPath, const ExportOptions& options,
                       DiagnosticEngine& diags) {
  std::string error;
  std::unique_ptr<AtomicFile> file = AtomicFile::open(dataPath, &error, options.protectedPaths);
  if (!file) {
    diags.reportFile(diag::KernelError, dataPath, error);
    return false;
  }
  std::string location = std::filesystem::path(dataPath).filename().string();
  uint64_t offset = 0;
  static const char kZeros[kAlignment] = {};
  for (const Initializer& init : initializers) {
    onnx::TensorProto& proto = *model.mutable_graph()->add_initializer();
    setTensorHeader(proto, init);
    if (init.tensor.byteSize() < kExternalThreshold) {
      proto.set_raw_data(init.tensor.data(), init.tensor.byteSize());
      continue;
    }
    size_t padding = (kAlignment - offset % kAlignment) % kAlignment;
    file->write(kZeros, padding);
    offset += padding;
    file->write(init.tensor.data(), init.tensor.byteSize());
    proto.set_data_location(onnx::TensorProto::EXTERNAL);
    addExternalEntry(proto, "location", location);
    addExternalEntry(proto, "offset", std::to_string(offset));
    addExternalEntry(proto, "length", std::to_string(init.tensor.byteSize()));
    offset += init.tensor.byteSize();
  }
  if (!file->commit(&error)) {
    diags.reportFile(diag::KernelError, dataPath, error);
    return false;
  }
  return true;
}

/// onnx::checker and strict shape inference; `modelDir` is where external data is found.
bool checkModel(onnx::ModelProto& model, const std::string& modelDir, const std::string& path,
                DiagnosticEngine& diags) {
  try {
    if (modelDir.empty()) {
      onnx::checker::check_model(model);
    } else {
      // check_model(ModelProto) cannot be told where the data file is.
      onnx::checker::CheckerContext ctx;
      ctx.set_ir_version(static_cast<int>(model.ir_version()));
      std::unordered_map<std::string, int> opsets;
      for (const auto& o : model.opset_import()) opsets[o.domain()] = static_cast<int>(o.version());
      ctx.set_opset_imports(opsets);
      ctx.set_model_dir(modelDir);
      onnx::checker::LexicalScopeContext scope;
      onnx::checker::check_graph(model.graph(), ctx, scope);
    }
    onnx::ShapeInferenceOptions strict(/*check_type=*/true, /*error_mode=*/1);
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), strict);
  } catch (const std::exception& e) {
    diags.reportFile(diag::KernelError, path,
                     std::string("the exported model fails the ONNX checks: ") + e.what());
    return false;
  }
  return true;
}

}  // namespace

bool writeModel(onnx::ModelProto& model, const std::vector<Initializer>& initializers,
                const ExportOptions& options, DiagnosticEngine& diags) {
  const std::string& path = options.outputPath;
  uint64_t total = 0;
  for (const Initializer& init : initializers) total += init.tensor.byteSize();
  bool external = options.externalData || total > kInlineWeightLimit;
  std::string dataPath = path + ".data";
  std::string modelDir;
  if (external) {
    if (path == "-") {
      diags.reportFile(diag::KernelError, path, "external data needs an output file, not stdout");
      return false;
    }
    if (!writeExternalData(model, initializers, dataPath, options, diags)) return false;
    modelDir = std::filesystem::absolute(path).parent_path().string() + "/";
  } else {
    for (const Initializer& init : initializers) {
      onnx::TensorProto& proto = *model.mutable_graph()->add_initializer();
      setTensorHeader(proto, init);
      proto.set_raw_data(init.tensor.data(), init.tensor.byteSize());
    }
  }
  // The data file was renamed into place first: remove it again if the model cannot follow.
  auto fail = [&] {
    if (external) std::filesystem::remove(dataPath);
    return false;
  };
  if (!checkModel(model, modelDir, path, diags)) return fail();
  if (model.ByteSizeLong() > static_cast<size_t>(INT32_MAX)) {
    diags.reportFile(diag::KernelError, path, "the model does not serialise (over 2 GB)");
    return fail();
  }
  std::string error;
  std::unique_ptr<AtomicFile> file = AtomicFile::open(path, &error, options.protectedPaths);
  if (!file) {
    diags.reportFile(diag::KernelError, path, error);
    return fail();
  }
  // Serialised straight into the file: no second in-memory copy of the weights.
  AtomicFileStream stream(*file);
  google::protobuf::io::CopyingOutputStreamAdaptor adaptor(&stream);
  bool serialized = model.SerializeToZeroCopyStream(&adaptor) && adaptor.Flush();
  if (!serialized || !file->commit(&error)) {
    diags.reportFile(diag::KernelError, path, serialized ? error : "the model does not serialise");
    return fail();
  }
  return true;
}

}  // namespace sketch
