// Stage `load`: protobuf in, OnnxGraph out. Initializer bytes stay where they are (inside
// the parsed model or in the mapped external-data file); tensors are views that keep
// their owner alive, so a 500 MB model is not copied again.
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>

#include "core/mapped_file.h"
#include "import/onnx_graph.h"
#include "onnx/version_converter/convert.h"

namespace sketch::onnx_import {

namespace {

// Opsets below this are upgraded first; the converters are written against 13-17.
constexpr int kCommonOpset = 13;
constexpr int kMinOpset = 1;
constexpr int kMaxOpset = 17;

std::string directoryOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

std::vector<int64_t> dimsOf(const onnx::TensorProto& t) {
  return std::vector<int64_t>(t.dims().begin(), t.dims().end());
}

/// Copies the typed repeated fields ONNX uses when raw_data is empty.
/// The tensor is allocated only once the field is known to hold every element, so that a
/// small file cannot claim a huge tensor.
std::optional<Tensor> copyTypedFields(const onnx::TensorProto& t, DType dtype) {
  auto bytes = Tensor::byteSizeOf(dtype, dimsOf(t));
  if (!bytes) return std::nullopt;
  size_t count = *bytes / dtypeSize(dtype);
  std::optional<Tensor> tensor;
  auto fill = [&](const auto& field, auto cast) -> bool {
    if (static_cast<size_t>(field.size()) != count) return false;
    tensor = Tensor::zeros(dtype, dimsOf(t));
    uint8_t* out = tensor->mutableData();
    for (size_t i = 0; i < count; ++i) {
      auto v = cast(field.Get(static_cast<int>(i)));
      std::memcpy(out + i * sizeof(v), &v, sizeof(v));
    }
    return true;
  };
  bool ok = false;
  switch (dtype) {
    case DType::Float32:
      ok = fill(t.float_data(), [](float v) { return v; });
      break;
    case DType::Float64:
      ok = fill(t.double_data(), [](double v) { return v; });
      break;
    case DType::Int64:
      ok = fill(t.int64_data(), [](int64_t v) { return v; });
      break;
    case DType::Int32:
      ok = fill(t.int32_data(), [](int32_t v) { return v; });
      break;
    case DType::Int16:
      ok = fill(t.int32_data(), [](int32_t v) { return int16_t(v); });
      break;
    case DType::Int8:
      ok = fill(t.int32_data(), [](int32_t v) { return int8_t(v); });
      break;
    case DType::UInt8:
    case DType::Bool:
      ok = fill(t.int32_data(), [](int32_t v) { return uint8_t(v); });
      break;
    case DType::Float16:
    case DType::BFloat16:
      ok = fill(t.int32_data(), [](int32_t v) { return uint16_t(v); });
      break;
  }
  if (!ok) return std::nullopt;
  return tensor;
}

std::optional<size_t> parseSize(const std::string& text) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return static_cast<size_t>(std::stoull(text));
}

/// Like onnx's checker: external data lives beside the model, named by a relative path
/// without "..", so a model cannot make the importer read arbitrary files.
bool isConfinedLocation(const std::string& location) {
  if (location.empty() || location[0] == '/') return false;
  size_t start = 0;
  while (start <= location.size()) {
    size_t end = location.find('/', start);
    if (end == std::string::npos) end = location.size();
    if (location.compare(start, end - start, "..") == 0) return false;
    start = end + 1;
  }
  return true;
}

std::optional<Tensor> externalTensor(const onnx::TensorProto& t, DType dtype,
                                     const std::string& directory, std::string& error) {
  std::string location;
  std::optional<size_t> offset = 0, length;
  bool lengthGiven = false;
  for (const auto& entry : t.external_data()) {
    if (entry.key() == "location") location = entry.value();
    if (entry.key() == "offset") offset = parseSize(entry.value());
    if (entry.key() == "length") lengthGiven = true, length = parseSize(entry.value());
  }
  if (!isConfinedLocation(location)) {
    error = "external data of '" + t.name() + "' is at '" + location +
            "', which is not a relative path inside the model's folder";
    return std::nullopt;
  }
  if (!offset || (lengthGiven && !length)) {
    error = "external data of '" + t.name() + "' has an offset or length that is not a number";
    return std::nullopt;
  }
  auto bytes = Tensor::byteSizeOf(dtype, dimsOf(t));
  if (!bytes) {
    error = "tensor '" + t.name() + "' has a shape whose size overflows or is negative";
    return std::nullopt;
  }
  auto file = MappedFile::open(directory + location, &error);
  if (!file) return std::nullopt;
  if ((length && *length != *bytes) || *offset > file->size() || file->size() - *offset < *bytes) {
    error = "external data of '" + t.name() + "' in '" + location + "' is too short";
    return std::nullopt;
  }
  return Tensor::view(dtype, dimsOf(t), file->data() + *offset, *bytes, file);
}

}  // namespace

namespace {

using google::protobuf::io::CodedInputStream;
using google::protobuf::internal::WireFormatLite;

// Field numbers in onnx.proto of the path to an initializer's bytes.
constexpr int kModelGraphField = 7;
constexpr int kGraphInitializerField = 5;
constexpr int kTensorRawDataField = 9;
// Raw data from this size up stays in the input. Smaller tensors are parsed as usual:
// they include the shape operands (Reshape, Expand) that ONNX shape inference reads.
constexpr size_t kViewedRawDataMin = 4096;

/// A serialized message split around one length-delimited field: the payloads of that
/// field's occurrences, and the runs of all other fields between them, in file order.
struct FieldSplit {
  std::vector<std::string_view> others;
  std::vector<std::string_view> payloads;
};

/// Splits `bytes` around field `number` with protobuf's own wire reader; nullopt when the
/// bytes are not well-formed protobuf.
std::optional<FieldSplit> splitAroundField(std::string_view bytes, int number) {
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max())) return std::nullopt;
  CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                      static_cast<int>(bytes.size()));
  FieldSplit split;
  size_t runStart = 0;
  auto endRun = [&](size_t end) {
    if (end > runStart) split.others.push_back(bytes.substr(runStart, end - runStart));
  };
  while (true) {
    auto fieldStart = static_cast<size_t>(in.CurrentPosition());
    uint32_t tag = in.ReadTag();
    if (tag == 0) break;
    if (WireFormatLite::GetTagFieldNumber(tag) != number ||
        WireFormatLite::GetTagWireType(tag) != WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!WireFormatLite::SkipField(&in, tag)) return std::nullopt;
      continue;
    }
    uint32_t length = 0;
    if (!in.ReadVarint32(&length)) return std::nullopt;
    auto payloadStart = static_cast<size_t>(in.CurrentPosition());
    if (length > bytes.size() - payloadStart || !in.Skip(static_cast<int>(length)))
      return std::nullopt;
    endRun(fieldStart);
    split.payloads.push_back(bytes.substr(payloadStart, length));
    runStart = payloadStart + length;
  }
  // ReadTag also gives 0 for a malformed tag: then the input is not used up.
  if (static_cast<size_t>(in.CurrentPosition()) != bytes.size()) return std::nullopt;
  endRun(bytes.size());
  return split;
}

bool mergeRuns(google::protobuf::MessageLite& message, const std::vector<std::string_view>& runs) {
  for (std::string_view run : runs) {
    CodedInputStream in(reinterpret_cast<const uint8_t*>(run.data()), static_cast<int>(run.size()));
    if (!message.MergeFromCodedStream(&in) || !in.ConsumedEntireMessage()) return false;
  }
  return true;
}

/// Parses one initializer, leaving large raw data in the input as `rawData`.
bool parseInitializer(std::string_view bytes, onnx::TensorProto& tensor,
                      std::string_view& rawData) {
  auto split = splitAroundField(bytes, kTensorRawDataField);
  if (!split || !mergeRuns(tensor, split->others)) return false;
  if (split->payloads.empty()) return true;
  std::string_view raw = split->payloads.back();  // a repeated scalar field: the last wins
  if (raw.size() >= kViewedRawDataMin && tensor.data_location() != onnx::TensorProto::EXTERNAL)
    rawData = raw;
  else
    tensor.set_raw_data(raw.data(), raw.size());
  return true;
}

bool parseGraph(std::string_view bytes, OnnxFile& file) {
  auto split = splitAroundField(bytes, kGraphInitializerField);
  onnx::GraphProto& graph = *file.model->mutable_graph();
  if (!split || !mergeRuns(graph, split->others)) return false;
  for (std::string_view initializer : split->payloads) {
    file.rawData.resize(static_cast<size_t>(graph.initializer_size()) + 1);
    if (!parseInitializer(initializer, *graph.add_initializer(), file.rawData.back())) return false;
  }
  return true;
}

}  // namespace

std::optional<OnnxFile> parseOnnx(std::string_view bytes, std::shared_ptr<const void> owner) {
  OnnxFile file;
  file.model = std::make_shared<onnx::ModelProto>();
  file.owner = std::move(owner);
  auto split = splitAroundField(bytes, kModelGraphField);
  if (!split || !mergeRuns(*file.model, split->others)) return std::nullopt;
  for (std::string_view graph : split->payloads)
    if (!parseGraph(graph, file)) return std::nullopt;
  file.rawData.resize(static_cast<size_t>(file.model->graph().initializer_size()));
  return file;
}

std::optional<OnnxFile> readOnnxFile(const std::string& path, DiagnosticEngine& diags) {
  std::string error;
  int errorNumber = 0;
  auto mapped = MappedFile::open(path, &error, &errorNumber);
  if (!mapped) {
    diags.reportFile(diag::openFailure(errorNumber), path, error);
    return std::nullopt;
  }
  std::string_view bytes = mapped->bytes();
  auto file = parseOnnx(bytes, std::move(mapped));
  if (!file) {
    diags.reportFile(diag::ModelDamaged, path, "'" + path + "' is not a valid ONNX model");
    return std::nullopt;
  }
  // Protobuf reads an empty file, or a text file of the right shape, as an empty message.
  if (!file->model->has_graph()) {
    diags.reportFile(diag::ModelDamaged, path,
                     "'" + path + "' is not an ONNX model: it has no graph");
    return std::nullopt;
  }
  return file;
}

namespace {

/// Whether every node input and graph output of `graph` (and of its subgraphs) names a
/// value defined before it: a graph input, an initializer, an earlier node's output or one
/// of `defined` (the enclosing graphs' names). ONNX's IR import, behind the version
/// converter, dereferences whatever it looks up, so an undefined name crashes it. Sets
/// `undefined` to the first one missing.
bool definesEveryValue(const onnx::GraphProto& graph, std::set<std::string> defined,
                       std::string& undefined) {
  for (const auto& v : graph.input()) defined.insert(v.name());
  for (const auto& t : graph.initializer()) defined.insert(t.name());
  for (const auto& t : graph.sparse_initializer()) defined.insert(t.values().name());
  auto known = [&](const std::string& name) {
    if (name.empty() || defined.count(name)) return true;
    undefined = name;
    return false;
  };
  for (const auto& node : graph.node()) {
    for (const auto& input : node.input())
      if (!known(input)) return false;
    for (const auto& a : node.attribute()) {
      if (a.has_g() && !definesEveryValue(a.g(), defined, undefined)) return false;
      for (const auto& g : a.graphs())
        if (!definesEveryValue(g, defined, undefined)) return false;
    }
    for (const auto& output : node.output()) defined.insert(output);
  }
  for (const auto& v : graph.output())
    if (!known(v.name())) return false;
  return true;
}

std::optional<TensorType> typeOf(const onnx::ValueInfoProto& info) {
  if (!info.type().has_tensor_type()) return std::nullopt;
  const auto& tensor = info.type().tensor_type();
  auto dtype = dtypeOfOnnx(tensor.elem_type());
  if (!dtype || !tensor.has_shape()) return std::nullopt;
  std::vector<Dim> dims;
  for (const auto& d : tensor.shape().dim()) {
    if (d.has_dim_value())
      dims.push_back(Dim::known(d.dim_value()));
    else if (d.has_dim_param() && !d.dim_param().empty())
      dims.push_back(Dim::symbol(d.dim_param()));
    else
      return std::nullopt;
  }
  return TensorType::of(*dtype, std::move(dims));
}

}  // namespace

std::optional<DType> dtypeOfOnnx(int32_t onnxType) {
  using T = onnx::TensorProto;
  switch (onnxType) {
    case T::FLOAT:
      return DType::Float32;
    case T::DOUBLE:
      return DType::Float64;
    case T::FLOAT16:
      return DType::Float16;
    case T::BFLOAT16:
      return DType::BFloat16;
    case T::INT64:
      return DType::Int64;
    case T::INT32:
      return DType::Int32;
    case T::INT16:
      return DType::Int16;
    case T::INT8:
      return DType::Int8;
    case T::UINT8:
      return DType::UInt8;
    case T::BOOL:
      return DType::Bool;
    default:
      return std::nullopt;
  }
}

std::optional<Tensor> tensorOfProto(const onnx::TensorProto& t, std::shared_ptr<const void> owner,
                                    const std::string& directory, std::string& error,
                                    std::string_view viewedRawData) {
  auto dtype = dtypeOfOnnx(t.data_type());
  if (!dtype) {
    error = "tensor '" + t.name() + "' has an unsupported element type (" +
            std::to_string(t.data_type()) + ")";
    return std::nullopt;
  }
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    return externalTensor(t, *dtype, directory, error);
  std::string_view raw = viewedRawData.empty() ? std::string_view(t.raw_data()) : viewedRawData;
  std::optional<Tensor> tensor;
  if (!raw.empty()) {
    auto bytes = Tensor::byteSizeOf(*dtype, dimsOf(t));
    if (bytes && *bytes == raw.size())
      tensor = Tensor::view(*dtype, dimsOf(t), reinterpret_cast<const uint8_t*>(raw.data()),
                            *bytes, std::move(owner));
  } else {
    tensor = copyTypedFields(t, *dtype);
  }
  if (!tensor) error = "tensor '" + t.name() + "' has data that does not match its shape";
  return tensor;
}

std::optional<OnnxGraph> loadOnnxModel(OnnxFile file, const std::string& path,
                                       DiagnosticEngine& diags) {
  std::shared_ptr<onnx::ModelProto> model = std::move(file.model);
  OnnxGraph graph;
  graph.path = path;
  for (const auto& o : model->opset_import())
    graph.opsets[o.domain()] = static_cast<int>(o.version());
  if (!graph.opsets.count("") && graph.opsets.count("ai.onnx"))
    graph.opsets[""] = graph.opsets["ai.onnx"];
  graph.opset = graph.opsetOf("");
  if (graph.opset < kMinOpset || graph.opset > kMaxOpset) {
    diags.reportFile(diag::UnsupportedOpset, path,
                     "'" + path + "' uses opset " + std::to_string(graph.opset) +
                         " of the standard domain, but the importer reads opsets " +
                         std::to_string(kMinOpset) + " to " + std::to_string(kMaxOpset));
    return std::nullopt;
  }
  std::string undefined;
  if (graph.opset < kCommonOpset && !definesEveryValue(model->graph(), {}, undefined)) {
    diags.reportFile(diag::ModelDamaged, path,
                     "cannot upgrade '" + path + "' from opset " + std::to_string(graph.opset) +
                         ": value '" + undefined + "' is used but never defined");
    return std::nullopt;
  }
  if (graph.opset < kCommonOpset) {
    // The converter rebuilds every initializer, so it is given their bytes.
    for (size_t i = 0; i < file.rawData.size(); ++i)
      if (!file.rawData[i].empty())
        model->mutable_graph()->mutable_initializer(static_cast<int>(i))->set_raw_data(
            file.rawData[i].data(), file.rawData[i].size());
    file.rawData.assign(file.rawData.size(), {});
    try {
      model = std::make_shared<onnx::ModelProto>(
          onnx::version_conversion::ConvertVersion(*model, kCommonOpset));
    } catch (const std::exception& e) {
      diags.reportFile(diag::UnsupportedOpset, path,
                       "cannot upgrade '" + path + "' from opset " + std::to_string(graph.opset) +
                           " to " + std::to_string(kCommonOpset) + ": " + e.what());
      return std::nullopt;
    }
    graph.opset = graph.opsets[""] = kCommonOpset;
  }
  graph.model = std::move(model);
  std::string directory = directoryOf(path);
  const auto& initializers = graph.model->graph().initializer();
  for (int i = 0; i < initializers.size(); ++i) {
    const onnx::TensorProto& init = initializers[i];
    auto index = static_cast<size_t>(i);
    std::string_view viewed = index < file.rawData.size() ? file.rawData[index] : "";
    std::shared_ptr<const void> owner = viewed.empty() ? graph.model : file.owner;
    std::string error;
    auto tensor = tensorOfProto(init, std::move(owner), directory, error, viewed);
    if (!tensor) {
      diags.reportFile(diag::ModelDamaged, path, error);
      return std::nullopt;
    }
    ValueInfo& info = graph.values[init.name()];
    info.type = TensorType::of(tensor->dtype(), {});
    for (int64_t d : tensor->shape()) info.type->dims.push_back(Dim::known(d));
    info.constant = std::move(tensor);
    info.initializer = true;
  }
  return graph;
}

void collectTypes(OnnxGraph& graph) {
  const onnx::GraphProto& g = graph.model->graph();
  auto add = [&](const onnx::ValueInfoProto& v) {
    auto type = typeOf(v);
    ValueInfo& info = graph.values[v.name()];
    if (type && !info.type) info.type = std::move(type);
  };
  for (const auto& v : g.input()) add(v);
  for (const auto& v : g.output()) add(v);
  for (const auto& v : g.value_info()) add(v);
}

int64_t toInt64(double v) {
  if (std::isnan(v)) return 0;
  if (v >= 9.2e18) return INT64_MAX;
  return v <= -9.2e18 ? INT64_MIN : static_cast<int64_t>(v);
}

std::vector<int64_t> intElements(const Tensor& tensor) {
  if (tensor.dtype() != DType::Int64 && tensor.dtype() != DType::Int32) {
    std::vector<int64_t> out;
    for (double v : floatElements(tensor)) out.push_back(toInt64(v));
    return out;
  }
  std::vector<int64_t> out(static_cast<size_t>(tensor.numel()));
  for (size_t i = 0; i < out.size(); ++i) {
    if (tensor.dtype() == DType::Int64) {
      std::memcpy(&out[i], tensor.data() + i * 8, 8);
    } else {
      int32_t v;
      std::memcpy(&v, tensor.data() + i * 4, 4);
      out[i] = v;
    }
  }
  return out;
}

double shortFloat(float value) {
  if (!std::isfinite(value)) return value;
  char text[32];
  // to_chars of a float is the shortest decimal that reads back as that float.
  char* end = std::to_chars(text, text + sizeof text, value).ptr;
  double out = value;
  std::from_chars(text, end, out);
  return out;
}

std::vector<double> floatElements(const Tensor& tensor) {
  std::vector<double> out(static_cast<size_t>(tensor.numel()));
  for (size_t i = 0; i < out.size(); ++i) {
    const uint8_t* p = tensor.data() + i * dtypeSize(tensor.dtype());
    switch (tensor.dtype()) {
      case DType::Float32: {
        float v;
        std::memcpy(&v, p, 4);
        out[i] = shortFloat(v);
        break;
      }
      case DType::Float64: {
        double v;
        std::memcpy(&v, p, 8);
        out[i] = v;
        break;
      }
      case DType::Int64: {
        int64_t v;
        std::memcpy(&v, p, 8);
        out[i] = double(v);
        break;
      }
      case DType::Int32: {
        int32_t v;
        std::memcpy(&v, p, 4);
        out[i] = v;
        break;
      }
      case DType::Int16: {
        int16_t v;
        std::memcpy(&v, p, 2);
        out[i] = v;
        break;
      }
      case DType::Int8:
        out[i] = static_cast<int8_t>(*p);
        break;
      case DType::UInt8:
      case DType::Bool:
        out[i] = *p;
        break;
      default:
        out[i] = 0;
        break;  // half types: no shape arithmetic is done in them
    }
  }
  return out;
}

}  // namespace sketch::onnx_import
