#include "write_model.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>
#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <climits>
#include <filesystem>

#include "core/atomic_file.h"
#include "onnx_kernel.h"

namespace sketch {

namespace {

using google::protobuf::io::CodedOutputStream;
using google::protobuf::internal::WireFormatLite;

constexpr size_t kAlignment = 4096;
// Small tensors (shape constants) stay inline even with external data, as onnx does; they
// are also the ones shape inference reads, so the checked model holds their bytes.
constexpr size_t kExternalThreshold = 1024;

// Field numbers in onnx.proto of the fields the streaming writer places itself.
constexpr int kModelGraphField = 7;
constexpr int kGraphInitializerField = 5;
constexpr int kTensorRawDataField = 9;

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

/// Writes the large initializers to `dataPath` (from the tensors' bytes, which for weights
/// are the mapped input) and points the model at it.
bool writeExternalData(onnx::ModelProto& model, const std::vector<Initializer>& initializers,
                       const std::string& dataPath, const ExportOptions& options,
                       DiagnosticEngine& diags) {
  std::string error;
  std::unique_ptr<AtomicFile> file = AtomicFile::open(dataPath, &error, options.protectedPaths);
  if (!file) {
    diags.reportFile(diag::FileWrite, dataPath, error);
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
    diags.reportFile(diag::FileWrite, dataPath, error);
    return false;
  }
  return true;
}

/// Adds the inline initializers. A large one gets a placeholder raw_data of one zero
/// element: libonnx 1.12's checker needs a non-empty value field but does not compare its
/// size with the dims, and shape inference reads initializer values only for shape inputs,
/// which are the small tensors that keep their bytes. The placeholders' tensors are returned,
/// in initializer order, for the writer to stream (null: the proto is whole).
std::vector<const Tensor*> addInlineInitializers(onnx::ModelProto& model,
                                                 const std::vector<Initializer>& initializers) {
  static const char kZeroElement[16] = {};
  std::vector<const Tensor*> streamed;
  for (const Initializer& init : initializers) {
    onnx::TensorProto& proto = *model.mutable_graph()->add_initializer();
    setTensorHeader(proto, init);
    bool small = init.tensor.byteSize() < kExternalThreshold;
    if (small)
      proto.set_raw_data(init.tensor.data(), init.tensor.byteSize());
    else
      proto.set_raw_data(kZeroElement, dtypeSize(init.tensor.dtype()));
    streamed.push_back(small ? nullptr : &init.tensor);
  }
  return streamed;
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
    diags.reportFile(diag::InternalError, path,
                     std::string("internal error: the exported model fails the ONNX checks: ") +
                         e.what());
    return false;
  }
  return true;
}

/// A checked model taken apart around its initializers, so that the file can be written in
/// field-number order (the bytes SerializeToString would give) with each streamed tensor's
/// raw_data (the last field its header has) written from the tensor instead of the proto.
struct SplitModel {
  onnx::ModelProto head, tail;            // the model's fields before / after graph
  onnx::GraphProto graphHead, graphTail;  // the graph's fields before / after initializer
  google::protobuf::RepeatedPtrField<onnx::TensorProto> initializers;
  std::vector<const Tensor*> streamed;    // per initializer: bytes to append, or null
  std::vector<size_t> initializerSizes;   // per initializer: its message body
  size_t graphSize = 0;
  uint64_t fileSize = 0;
};

size_t rawDataFieldSize(size_t bytes) {
  return WireFormatLite::TagSize(kTensorRawDataField, WireFormatLite::TYPE_BYTES) +
         WireFormatLite::LengthDelimitedSize(bytes);
}

/// Moves `model`'s parts into a SplitModel (no copies) and computes its sizes.
SplitModel splitModel(onnx::ModelProto& model, std::vector<const Tensor*> streamed) {
  SplitModel s;
  std::unique_ptr<onnx::GraphProto> graph(model.release_graph());
  s.head.Swap(&model);
  s.tail.mutable_opset_import()->Swap(s.head.mutable_opset_import());
  s.tail.mutable_metadata_props()->Swap(s.head.mutable_metadata_props());
  s.tail.mutable_training_info()->Swap(s.head.mutable_training_info());
  s.tail.mutable_functions()->Swap(s.head.mutable_functions());
  s.graphTail.Swap(graph.get());
  s.graphHead.mutable_node()->Swap(s.graphTail.mutable_node());
  s.graphHead.set_allocated_name(s.graphTail.release_name());
  s.initializers.Swap(s.graphTail.mutable_initializer());
  s.streamed = std::move(streamed);

  s.graphSize = s.graphHead.ByteSizeLong() + s.graphTail.ByteSizeLong();
  size_t initializerTag = WireFormatLite::TagSize(kGraphInitializerField, WireFormatLite::TYPE_MESSAGE);
  for (int i = 0; i < s.initializers.size(); ++i) {
    onnx::TensorProto& proto = s.initializers[i];
    if (s.streamed[i]) proto.clear_raw_data();
    size_t body = proto.ByteSizeLong() + (s.streamed[i] ? rawDataFieldSize(s.streamed[i]->byteSize()) : 0);
    s.initializerSizes.push_back(body);
    s.graphSize += initializerTag + WireFormatLite::LengthDelimitedSize(body);
  }
  s.fileSize = s.head.ByteSizeLong() +
               WireFormatLite::TagSize(kModelGraphField, WireFormatLite::TYPE_MESSAGE) +
               WireFormatLite::LengthDelimitedSize(s.graphSize) + s.tail.ByteSizeLong();
  return s;
}

/// Writes the model: as protobuf concatenation, each part serialised by protobuf and the
/// streamed tensors' bytes written straight from their (mapped) source, which lets the file
/// copy them inside the kernel (AtomicFile).
bool writeSplitModel(const SplitModel& s, AtomicFile& file) {
  std::string part;
  auto writePart = [&](const auto& serialise) {
    part.clear();
    {
      google::protobuf::io::StringOutputStream sink(&part);
      CodedOutputStream out(&sink);
      serialise(out);
    }
    return file.write(part);
  };
  auto delimited = [](CodedOutputStream& out, int field, size_t size) {
    WireFormatLite::WriteTag(field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED, &out);
    out.WriteVarint64(size);
  };
  writePart([&](CodedOutputStream& out) {
    s.head.SerializeWithCachedSizes(&out);
    delimited(out, kModelGraphField, s.graphSize);
    s.graphHead.SerializeWithCachedSizes(&out);
  });
  for (int i = 0; i < s.initializers.size(); ++i) {
    const Tensor* streamed = s.streamed[i];
    writePart([&](CodedOutputStream& out) {
      delimited(out, kGraphInitializerField, s.initializerSizes[i]);
      s.initializers[i].SerializeWithCachedSizes(&out);
      if (streamed) delimited(out, kTensorRawDataField, streamed->byteSize());
    });
    if (streamed) file.write(streamed->data(), streamed->byteSize());
  }
  return writePart([&](CodedOutputStream& out) {
    s.graphTail.SerializeWithCachedSizes(&out);
    s.tail.SerializeWithCachedSizes(&out);
  });
}

}  // namespace

bool writeModel(onnx::ModelProto& model, const std::vector<Initializer>& initializers,
                const ExportOptions& options, DiagnosticEngine& diags) {
  const std::string& path = options.outputPath;
  uint64_t total = 0;
  for (const Initializer& init : initializers) total += init.tensor.byteSize();
  bool external = options.value(externalDataOption()).asBool() || total > kInlineWeightLimit;
  std::string dataPath = path + ".data";
  std::string modelDir;
  std::vector<const Tensor*> streamed(initializers.size(), nullptr);
  if (external) {
    if (path == "-") {
      diags.reportFile(diag::FileWrite, path, "external data needs an output file, not stdout");
      return false;
    }
    if (!writeExternalData(model, initializers, dataPath, options, diags)) return false;
    modelDir = std::filesystem::absolute(path).parent_path().string() + "/";
  } else {
    streamed = addInlineInitializers(model, initializers);
  }
  // The data file was renamed into place first: remove it again if the model cannot follow.
  auto fail = [&] {
    if (external) std::filesystem::remove(dataPath);
    return false;
  };
  if (!checkModel(model, modelDir, path, diags)) return fail();
  SplitModel split = splitModel(model, std::move(streamed));
  if (split.fileSize > static_cast<uint64_t>(INT32_MAX)) {
    diags.reportFile(diag::ModelTooLarge, path, "the model does not serialise (over 2 GB)");
    return fail();
  }
  std::string error;
  std::unique_ptr<AtomicFile> file = AtomicFile::open(path, &error, options.protectedPaths);
  if (!file) {
    diags.reportFile(diag::FileWrite, path, error);
    return fail();
  }
  if (!writeSplitModel(split, *file)) {
    diags.reportFile(diag::FileWrite, path, file->error());
    return fail();
  }
  if (!file->commit(&error)) {
    diags.reportFile(diag::FileWrite, path, error);
    return fail();
  }
  return true;
}

}  // namespace sketch
