// Activations: one table maps ONNX's elementwise nonlinearities to torch.nn modules and
// their attributes; Clip, PRelu and Softmax need a little code.
#include <cmath>
#include <limits>

#include "import/families.h"
#include "import/window_attrs.h"

namespace sketch::onnx_import {

namespace {

/// An ONNX float attribute that becomes a module argument (LeakyRelu alpha -> negative_slope).
struct AttrMap {
  const char* onnx;
  const char* torch;
  double onnxDefault;
};

struct ActivationEntry {
  const char* onnxOp;
  std::vector<int> versions;  // a vector: an initializer_list member would dangle
  const char* torchOp;
  std::vector<AttrMap> attrs;
};

const std::vector<ActivationEntry>& activationTable() {
  static const std::vector<ActivationEntry> table = {
      {"Relu", {13, 14}, "ReLU", {}},
      {"Sigmoid", {13}, "Sigmoid", {}},
      {"Tanh", {13}, "Tanh", {}},
      {"LeakyRelu", {6, 16}, "LeakyReLU", {{"alpha", "negative_slope", 0.01}}},
      {"Elu", {6}, "ELU", {{"alpha", "alpha", 1.0}}},
      {"Celu", {12}, "CELU", {{"alpha", "alpha", 1.0}}},
      {"Selu", {6}, "SELU", {}},
      {"Softplus", {1}, "Softplus", {}},
      {"Softsign", {1}, "Softsign", {}},
      {"HardSwish", {14}, "Hardswish", {}},
  };
  return table;
}

Converter tableConverter(const ActivationEntry& entry) {
  return [&entry](ConvertContext& ctx) {
    std::vector<CallArgument> args;
    for (const AttrMap& a : entry.attrs)
      args.push_back(kw(a.torch, Value::ofFloat(ctx.attrFloat(a.onnx, a.onnxDefault))));
    auto input = ctx.port(0);
    if (!input) return false;
    auto id = ctx.emit(entry.torchOp, args, {*input});
    if (!id) return false;
    ctx.setOutput(0, {*id, 0});
    return true;
  };
}

/// A unary module with its arguments; the usual tail of the converters below.
bool emitUnary(ConvertContext& ctx, const std::string& op, const std::vector<CallArgument>& args) {
  auto input = ctx.port(0);
  if (!input) return false;
  auto id = ctx.emit(op, args, {*input});
  if (!id) return false;
  ctx.setOutput(0, {*id, 0});
  return true;
}

/// Clip(0, 6) is ReLU6 (MobileNet), Clip(0, inf) ReLU, other finite bounds Hardtanh.
bool importClip(ConvertContext& ctx) {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  for (size_t i : {1, 2}) {
    if (!ctx.hasInput(i)) continue;
    const Tensor* bound = ctx.constant(i);
    if (!bound || bound->numel() != 1) return ctx.fail("needs constant min and max");
    (i == 1 ? low : high) = floatElements(*bound)[0];
  }
  if (low == 0 && high == 6) return emitUnary(ctx, "ReLU6", {});
  if (low == 0 && std::isinf(high)) return emitUnary(ctx, "ReLU", {});
  if (!std::isinf(low) && !std::isinf(high))
    return emitUnary(ctx, "Hardtanh",
                     {kw("min_val", Value::ofFloat(low)), kw("max_val", Value::ofFloat(high))});
  std::vector<CallArgument> args;
  if (!std::isinf(low)) args.push_back(kw("min", Value::ofFloat(low)));
  if (!std::isinf(high)) args.push_back(kw("max", Value::ofFloat(high)));
  return emitUnary(ctx, "Clamp", args);
}

/// HardSigmoid is torch's Hardsigmoid only with alpha 1/6 and beta 1/2.
bool importHardSigmoid(ConvertContext& ctx) {
  if (std::abs(ctx.attrFloat("alpha", 0.2) - 1.0 / 6) > 1e-6 || ctx.attrFloat("beta", 0.5) != 0.5)
    return ctx.fail("only alpha=1/6, beta=0.5 is torch's Hardsigmoid");
  return emitUnary(ctx, "Hardsigmoid", {});
}

bool importSoftmax(ConvertContext& ctx, const std::string& op) {
  return emitUnary(ctx, op, {kw("dim", Value::ofInt(ctx.attrInt("axis", -1)))});
}

/// PRelu's slope is a weight of 1 or C elements (broadcast as [C, 1, 1]).
bool importPRelu(ConvertContext& ctx) {
  const Tensor* slope = ctx.weight(1);
  if (!slope || slope->dtype() != DType::Float32)
    return ctx.fail("needs its slope as an initializer");
  auto input = ctx.port(0);
  if (!input) return false;
  auto id = ctx.emit("PReLU", {kw("num_parameters", Value::ofInt(slope->numel()))}, {*input},
                     ctx.hintFromWeight(1, "weight"));
  if (!id) return false;
  ctx.setWeight(*id, "weight", reshapedTensor(*slope, {slope->numel()}));
  ctx.setOutput(0, {*id, 0});
  return true;
}

}  // namespace

void registerActivationImporters(ConverterRegistry& r) {
  for (const ActivationEntry& entry : activationTable())
    for (int version : entry.versions) r.add({"", entry.onnxOp, version}, tableConverter(entry));
  r.addVersions("Clip", {13}, importClip);
  r.addVersions("HardSigmoid", {6}, importHardSigmoid);
  r.addVersions("PRelu", {9, 16}, importPRelu);
  r.addVersions("Softmax", {13}, [](ConvertContext& ctx) { return importSoftmax(ctx, "Softmax"); });
  r.addVersions("LogSoftmax", {13},
                [](ConvertContext& ctx) { return importSoftmax(ctx, "LogSoftmax"); });
}

}  // namespace sketch::onnx_import
