#include "script_weights.h"

#include "script_tensors.h"

#include <sstream>

namespace sketch {

namespace {

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
    diags.reportFile(diag::ImportError, path,
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

void reportTorchError(const std::string& path, const std::string& what, DiagnosticEngine& diags) {
  std::vector<std::string> lines;
  std::istringstream text(what);
  for (std::string line; std::getline(text, line);) {
    line.erase(line.find_last_not_of(" \t\r") + 1);
    if (!line.empty()) lines.push_back(line);
  }
  if (lines.empty()) lines.push_back("LibTorch gave no reason");
  Diagnostic& d = diags.reportFile(diag::ImportError, path,
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
