#include "torch_ops.h"

#include <algorithm>
#include <cmath>

#include "core/join.h"
#include "script_import_table.h"
#include "torch_emit.h"

namespace sketch {

using namespace torch_emit;

bool isTorchIdentifier(const std::string& s) {
  static const char* const kKeywords[] = {
      "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
      "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global",
      "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return",
      "try", "while", "with", "yield"};
  for (const char* keyword : kKeywords)
    if (s == keyword) return false;
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

namespace {

// ---- helpers shared by the emitters ------------------------------------------------------

int rankOf(const TorchEmitContext& c, size_t port = 0) { return c.inputRanks.at(port); }

/// PyTorch's reduction enum (torch.nn._reduction.get_enum).
std::string reduction(const TorchEmitContext& c) {
  const std::string& mode = c.value("reduction").asString();
  return mode == "none" ? "0" : mode == "sum" ? "2" : "1";
}

// ---- layers ------------------------------------------------------------------------------

std::string rankName(const TorchEmitContext& c, const char* base) {
  return std::string("torch.") + base + std::to_string(c.node.op->rank()) + "d";
}

/// The padding before and after each spatial dim; padding='same' puts the odd one after,
/// as torch.nn.Conv*d computes it.
std::vector<std::pair<int64_t, int64_t>> paddingSides(const TorchEmitContext& c, int spatial) {
  const Value& padding = c.value("padding");
  std::vector<std::pair<int64_t, int64_t>> sides;
  for (int d = 0; d < spatial; ++d) {
    if (!padding.isString()) {
      int64_t p = padding.isInt() ? padding.asInt() : padding.asInts()[size_t(d)];
      sides.emplace_back(p, p);
      continue;
    }
    auto pick = [&](const char* name) {
      const Value& v = c.value(name);
      return v.isInt() ? v.asInt() : v.asInts()[size_t(d)];
    };
    int64_t total = padding.asString() == "same" ? pick("dilation") * (pick("kernel_size") - 1) : 0;
    sides.emplace_back(total / 2, total - total / 2);
  }
  return sides;
}

/// Non-zero padding modes pad first, like torch.nn.Conv*d._conv_forward.
std::string paddedInput(const TorchEmitContext& c, int spatial) {
  std::string mode = c.value("padding_mode").asString();
  if (mode == "zeros") return in(c);
  std::vector<std::pair<int64_t, int64_t>> pad = paddingSides(c, spatial);
  std::string x = in(c);
  if (mode == "circular") {
    // Wrap each spatial dim around: its last elements before, its first ones after.
    for (int d = 0; d < spatial; ++d) {
      auto [before, after] = pad[size_t(d)];
      std::string dim = std::to_string(d - spatial);
      std::vector<std::string> parts;
      if (before > 0)
        parts.push_back(x + ".narrow(" + dim + ", " + x + ".size(" + dim + ") - " +
                        std::to_string(before) + ", " + std::to_string(before) + ")");
      parts.push_back(x);
      if (after > 0) parts.push_back(x + ".narrow(" + dim + ", 0, " + std::to_string(after) + ")");
      if (parts.size() > 1) x = "torch.cat([" + join(parts, ", ") + "], " + dim + ")";
    }
    return x;
  }
  std::string list;
  for (int d = spatial - 1; d >= 0; --d)
    list += (list.empty() ? "" : ", ") + std::to_string(pad[size_t(d)].first) + ", " +
            std::to_string(pad[size_t(d)].second);
  std::string fn = mode == "reflect" ? "torch.reflection_pad" : "torch.replication_pad";
  return fn + std::to_string(spatial) + "d(" + x + ", [" + list + "])";
}

TorchEmission conv(const TorchEmitContext& c) {
  int rank = c.node.op->rank();
  bool padded = c.value("padding_mode").asString() != "zeros";
  std::string padding = padded ? torchLiteral(Value::ofInts(std::vector<int64_t>(rank, 0)))
                               : c.attr("padding");
  return expr(call("torch.conv" + std::to_string(rank) + "d",
                   {paddedInput(c, rank), c.param("weight"), c.param("bias"), c.attr("stride"),
                    padding, c.attr("dilation"), c.attr("groups")}));
}

TorchEmission convTranspose(const TorchEmitContext& c) {
  return expr(call("torch.conv_transpose" + std::to_string(c.node.op->rank()) + "d",
                   {in(c), c.param("weight"), c.param("bias"), c.attr("stride"), c.attr("padding"),
                    c.attr("output_padding"), c.attr("groups"), c.attr("dilation")}));
}

TorchEmission linear(const TorchEmitContext& c) {
  return expr(call("torch.linear", {in(c), c.param("weight"), c.param("bias")}));
}

TorchEmission bilinear(const TorchEmitContext& c) {
  return expr(call("torch.bilinear", {in(c, 0), in(c, 1), c.param("weight"), c.param("bias")}));
}

/// torch.nn.modules.batchnorm._BatchNorm.forward: cumulative average when momentum is None.
TorchEmission batchNorm(const TorchEmitContext& c) {
  std::string eps = c.attr("eps");
  if (!c.value("track_running_stats").asBool())
    return expr(call("torch.batch_norm", {in(c), c.param("weight"), c.param("bias"), "None",
                                          "None", "True", "0.0", eps, "False"}));
  std::string factor = c.value("momentum").isNone() ? "1.0 / float(self.num_batches_tracked)"
                                                    : c.attr("momentum");
  return {{"factor = 0.0", "if self.training:", "    self.num_batches_tracked.add_(1)",
           "    factor = " + factor},
          call("torch.batch_norm", {in(c), c.param("weight"), c.param("bias"),
                                    "self.running_mean", "self.running_var", "self.training",
                                    "factor", eps, "False"})};
}

TorchEmission instanceNorm(const TorchEmitContext& c) {
  bool track = c.value("track_running_stats").asBool();
  std::string momentum = c.value("momentum").isNone() ? "0.1" : c.attr("momentum");
  return expr(call("torch.instance_norm",
                   {in(c), c.param("weight"), c.param("bias"), c.param("running_mean"),
                    c.param("running_var"), track ? "self.training" : "True", momentum,
                    c.attr("eps"), "False"}));
}

TorchEmission layerNorm(const TorchEmitContext& c) {
  return expr(call("torch.layer_norm", {in(c), c.attr("normalized_shape"), c.param("weight"),
                                        c.param("bias"), c.attr("eps"), "False"}));
}

TorchEmission groupNorm(const TorchEmitContext& c) {
  return expr(call("torch.group_norm", {in(c), c.attr("num_groups"), c.param("weight"),
                                        c.param("bias"), c.attr("eps"), "False"}));
}

/// torch.nn.functional.local_response_norm, over any rank >= 3 through a 5-D view.
TorchEmission localResponseNorm(const TorchEmitContext& c) {
  int64_t size = c.value("size").asInt();
  std::string x = in(c);
  return {{"sizes = " + x + ".size()",
           "div = (" + x + " * " + x + ").view(sizes[0], 1, sizes[1], sizes[2], -1)",
           "div = torch.constant_pad_nd(div, [0, 0, 0, 0, " + std::to_string(size / 2) + ", " +
               std::to_string((size - 1) / 2) + "], 0.0)",
           "div = torch.avg_pool3d(div, [" + std::to_string(size) +
               ", 1, 1], [1, 1, 1], [0, 0, 0], False, True, None).squeeze(1).view(sizes)",
           "div = (div * " + c.attr("alpha") + " + " + c.attr("k") + ") ** " + c.attr("beta")},
          x + " / div"};
}

// ---- activations -------------------------------------------------------------------------

template <const char* Fn>
TorchEmission unary(const TorchEmitContext& c) {
  return expr(std::string("torch.") + Fn + "(" + in(c) + ")");
}

constexpr char kRelu[] = "relu", kSelu[] = "selu", kSilu[] = "silu", kMish[] = "mish",
               kSigmoid[] = "sigmoid", kTanh[] = "tanh", kHardswish[] = "hardswish",
               kHardsigmoid[] = "hardsigmoid", kSqrt[] = "sqrt", kExp[] = "exp", kLog[] = "log",
               kErf[] = "erf";

TorchEmission relu6(const TorchEmitContext& c) { return expr(call("torch.hardtanh", {in(c), "0.0", "6.0"})); }
TorchEmission leakyRelu(const TorchEmitContext& c) { return expr(call("torch.leaky_relu", {in(c), c.attr("negative_slope")})); }
TorchEmission elu(const TorchEmitContext& c) { return expr(call("torch.elu", {in(c), c.attr("alpha")})); }
TorchEmission celu(const TorchEmitContext& c) { return expr(call("torch.celu", {in(c), c.attr("alpha")})); }
TorchEmission gelu(const TorchEmitContext& c) { return expr(call("torch.gelu", {in(c), "approximate=" + c.attr("approximate")})); }
TorchEmission softplus(const TorchEmitContext& c) { return expr(call("torch.softplus", {in(c), c.attr("beta"), c.attr("threshold")})); }
TorchEmission softsign(const TorchEmitContext& c) { return expr(in(c) + " / (torch.abs(" + in(c) + ") + 1)"); }
TorchEmission hardshrink(const TorchEmitContext& c) { return expr(call("torch.hardshrink", {in(c), c.attr("lambd")})); }
TorchEmission softshrink(const TorchEmitContext& c) { return expr(call("torch.softshrink", {in(c), c.attr("lambd")})); }
TorchEmission prelu(const TorchEmitContext& c) { return expr(call("torch.prelu", {in(c), c.param("weight")})); }
TorchEmission softmax(const TorchEmitContext& c) { return expr(call("torch.softmax", {in(c), c.attr("dim")})); }
TorchEmission logSoftmax(const TorchEmitContext& c) { return expr(call("torch.log_softmax", {in(c), c.attr("dim")})); }

TorchEmission hardtanh(const TorchEmitContext& c) {
  return expr(call("torch.hardtanh", {in(c), c.attr("min_val"), c.attr("max_val")}));
}

// ---- pooling, dropout, reshaping layers ----------------------------------------------------

/// aten's pools take an empty stride for "same as the kernel".
std::string poolStride(const TorchEmitContext& c) {
  return c.value("stride").isNone() ? "[]" : c.attr("stride");
}

TorchEmission maxPool(const TorchEmitContext& c) {
  bool indices = c.node.outputs.size() > 1;
  return expr(call(rankName(c, "max_pool") + (indices ? "_with_indices" : ""),
                   {in(c), c.attr("kernel_size"), poolStride(c), c.attr("padding"),
                    c.attr("dilation"), c.attr("ceil_mode")}));
}

TorchEmission avgPool(const TorchEmitContext& c) {
  std::vector<std::string> args = {in(c), c.attr("kernel_size"), poolStride(c), c.attr("padding"),
                                   c.attr("ceil_mode"), c.attr("count_include_pad")};
  if (c.node.attrs.count("divisor_override")) args.push_back(c.attr("divisor_override"));
  return expr(call(rankName(c, "avg_pool"), args));
}

TorchEmission adaptiveAvgPool(const TorchEmitContext& c) {
  return expr(call(rankName(c, "adaptive_avg_pool"), {in(c), c.attr("output_size")}));
}

TorchEmission adaptiveMaxPool(const TorchEmitContext& c) {
  std::string pooled = call(rankName(c, "adaptive_max_pool"), {in(c), c.attr("output_size")});
  return expr(c.node.outputs.size() > 1 ? pooled : pooled + "[0]");
}

template <const char* Fn>
TorchEmission dropout(const TorchEmitContext& c) {
  return expr(call(std::string("torch.") + Fn, {in(c), c.attr("p"), "self.training"}));
}
constexpr char kDropout[] = "dropout", kFeatureDropout[] = "feature_dropout",
               kAlphaDropout[] = "alpha_dropout", kFeatureAlphaDropout[] = "feature_alpha_dropout";

TorchEmission flatten(const TorchEmitContext& c) { return expr(call("torch.flatten", {in(c), c.attr("start_dim"), c.attr("end_dim")})); }
TorchEmission unflatten(const TorchEmitContext& c) { return expr(call("torch.unflatten", {in(c), c.attr("dim"), c.attr("unflattened_size")})); }
TorchEmission pixelShuffle(const TorchEmitContext& c) { return expr(call("torch.pixel_shuffle", {in(c), c.attr("upscale_factor")})); }

TorchEmission constantPad(const TorchEmitContext& c) {
  std::string value = c.node.attrs.count("value") ? c.attr("value") : "0.0";
  return expr(call("torch.constant_pad_nd", {in(c), c.attr("padding"), value}));
}

/// torch.nn.functional.interpolate for a fixed mode: aten's upsample_<mode><rank>d.vec.
TorchEmission upsample(const TorchEmitContext& c) {
  int spatial = rankOf(c) - 2;
  std::string mode = c.value("mode").asString();
  std::string size = c.value("size").isNone()
                         ? "None"
                         : torchLiteral(c.value("size").isInt()
                                            ? Value::ofInts(std::vector<int64_t>(spatial, c.value("size").asInt()))
                                            : c.value("size"));
  std::string scales = "None";
  if (!c.value("scale_factor").isNone() && c.value("size").isNone()) {
    const Value& s = c.value("scale_factor");
    std::vector<Value> items = s.isList() ? s.asList() : std::vector<Value>(spatial, s);
    for (Value& v : items) v = Value::ofFloat(v.asNumber());
    scales = torchLiteral(Value::ofList(items));
  }
  std::string rank = std::to_string(spatial) + "d";
  // As F.interpolate: 'area' is adaptive average pooling to the output size (which shape
  // inference fixed), 'nearest-exact' an aten op of its own.
  if (mode == "area") {
    std::vector<int64_t> dims;
    for (size_t d = 2; d < c.node.outputs[0].rank(); ++d) dims.push_back(c.node.outputs[0].dims[d].value());
    return expr(call("torch.adaptive_avg_pool" + rank, {in(c), torchLiteral(Value::ofInts(dims))}));
  }
  if (mode == "nearest-exact")
    return expr(call("torch._upsample_nearest_exact" + rank, {in(c), size, scales}));
  std::string fn = "torch.upsample_" + mode + rank;
  if (mode == "nearest") return expr(call(fn, {in(c), size, scales}));
  std::string align = c.value("align_corners").isNone() ? "False" : c.attr("align_corners");
  return expr(call(fn, {in(c), size, align, scales}));
}

/// 'area' pools to a size that must be known (see upsample).
bool supportsUpsample(const Node& node) {
  if (node.attrs.at("mode").asString() != "area") return true;
  for (size_t d = 2; d < node.outputs[0].rank(); ++d)
    if (!node.outputs[0].dims[d].isKnown()) return false;
  return true;
}

TorchEmission embedding(const TorchEmitContext& c) {
  std::string padding = c.value("padding_idx").isNone() ? "-1" : c.attr("padding_idx");
  TorchEmission e = expr(call("torch.embedding", {c.param("weight"), in(c), padding,
                                                  c.attr("scale_grad_by_freq"), c.attr("sparse")}));
  if (!c.value("max_norm").isNone())  // F.embedding renormalises the used rows in place
    e.statements.push_back(call("torch.embedding_renorm_", {c.param("weight"), in(c),
                                                            c.attr("max_norm"), c.attr("norm_type")}));
  return e;
}

TorchEmission identity(const TorchEmitContext& c) { return expr(in(c)); }

// ---- tensor functions ----------------------------------------------------------------------

/// `alpha=2` for a whole alpha: integer tensors refuse a float one (`alpha=1.0`).
std::string alphaArgument(const TorchEmitContext& c) {
  double alpha = c.value("alpha").asNumber();
  bool whole = alpha == std::floor(alpha) && std::abs(alpha) < 1e15;
  return "alpha=" + (whole ? std::to_string(int64_t(alpha)) : c.attr("alpha"));
}

TorchEmission add(const TorchEmitContext& c) { return expr(call("torch.add", {in(c, 0), in(c, 1), alphaArgument(c)})); }
TorchEmission sub(const TorchEmitContext& c) { return expr(call("torch.sub", {in(c, 0), in(c, 1), alphaArgument(c)})); }
TorchEmission mul(const TorchEmitContext& c) { return expr(call("torch.mul", {in(c, 0), in(c, 1)})); }
TorchEmission div(const TorchEmitContext& c) { return expr(call("torch.div", {in(c, 0), in(c, 1), "rounding_mode=" + c.attr("rounding_mode")})); }
TorchEmission pow(const TorchEmitContext& c) { return expr(call("torch.pow", {in(c), c.attr("exponent")})); }
TorchEmission clamp(const TorchEmitContext& c) { return expr(call("torch.clamp", {in(c), c.attr("min"), c.attr("max")})); }
TorchEmission where(const TorchEmitContext& c) { return expr(call("torch.where", {in(c, 0), in(c, 1), in(c, 2)})); }
TorchEmission matmul(const TorchEmitContext& c) { return expr(call("torch.matmul", {in(c, 0), in(c, 1)})); }
TorchEmission split(const TorchEmitContext& c) { return expr(call("torch.split", {in(c), c.attr("split_size_or_sections"), c.attr("dim")})); }
TorchEmission chunk(const TorchEmitContext& c) { return expr(call("torch.chunk", {in(c), c.attr("chunks"), c.attr("dim")})); }
TorchEmission reshape(const TorchEmitContext& c) { return expr(call("torch.reshape", {in(c), c.attr("shape")})); }
TorchEmission permute(const TorchEmitContext& c) { return expr(call("torch.permute", {in(c), c.attr("dims")})); }
TorchEmission transpose(const TorchEmitContext& c) { return expr(call("torch.transpose", {in(c), c.attr("dim0"), c.attr("dim1")})); }
TorchEmission unsqueeze(const TorchEmitContext& c) { return expr(call("torch.unsqueeze", {in(c), c.attr("dim")})); }
TorchEmission select(const TorchEmitContext& c) { return expr(call("torch.select", {in(c), c.attr("dim"), c.attr("index")})); }

TorchEmission concat(const TorchEmitContext& c) {
  std::string list;
  for (const std::string& x : c.inputs) list += (list.empty() ? "" : ", ") + x;
  return expr("torch.cat([" + list + "], " + c.attr("dim") + ")");
}

TorchEmission squeeze(const TorchEmitContext& c) {
  if (c.value("dim").isNone()) return expr(call("torch.squeeze", {in(c)}));
  return expr(call("torch.squeeze", {in(c), c.attr("dim")}));
}

/// Python slicing along one dim: input[:, :, start:end:step].
/// A negative dim counts from the end through an ellipsis, so that TorchScript records the
/// dim as given: input[..., start:end:step, :].
TorchEmission slice(const TorchEmitContext& c) {
  int64_t dim = c.value("dim").asInt();
  auto bound = [&](const char* name) { return c.value(name).isNone() ? "" : c.attr(name); };
  std::string range = bound("start") + ":" + bound("end") + ":" + c.attr("step");
  std::string before, after;
  for (int64_t d = 0; d < dim; ++d) before += ":, ";
  if (dim < 0) before = "..., ";
  for (int64_t d = dim + 1; d < 0; ++d) after += ", :";
  return expr(in(c) + "[" + before + range + after + "]");
}

TorchEmission reduce(const TorchEmitContext& c, const char* fn) {
  const Value& dim = c.value("dim");
  if (dim.isNone()) return expr(std::string("torch.") + fn + "(" + in(c) + ")");
  std::string dims = dim.isInt() ? "[" + c.attr("dim") + "]" : c.attr("dim");
  return expr(call(std::string("torch.") + fn, {in(c), dims, c.attr("keepdim")}));
}
TorchEmission mean(const TorchEmitContext& c) { return reduce(c, "mean"); }
TorchEmission sum(const TorchEmitContext& c) { return reduce(c, "sum"); }

TorchEmission max(const TorchEmitContext& c) {
  if (c.value("dim").isNone()) return expr(call("torch.max", {in(c)}));
  return expr(call("torch.max", {in(c), c.attr("dim"), c.attr("keepdim")}));
}

TorchEmission constant(const TorchEmitContext& c) {
  const Value& dtype = c.value("dtype");
  if (dtype.isNone()) return expr(call("torch.tensor", {c.attr("value")}));
  // Every dtype of a sketch has a code; one added without would fail to compile, not vanish.
  std::optional<int64_t> code = scalarTypeCode(dtype.asString());
  std::string given = code ? std::to_string(*code) : "torch." + dtype.asString();
  return expr(call("torch.tensor", {c.attr("value"), "dtype=" + given}));
}

TorchEmission parameter(const TorchEmitContext& c) { return expr(c.param("")); }

// ---- losses --------------------------------------------------------------------------------

TorchEmission mseLoss(const TorchEmitContext& c) { return expr(call("torch.mse_loss", {in(c, 0), in(c, 1), reduction(c)})); }
TorchEmission l1Loss(const TorchEmitContext& c) { return expr(call("torch.l1_loss", {in(c, 0), in(c, 1), reduction(c)})); }
TorchEmission smoothL1Loss(const TorchEmitContext& c) { return expr(call("torch.smooth_l1_loss", {in(c, 0), in(c, 1), reduction(c), c.attr("beta")})); }
TorchEmission huberLoss(const TorchEmitContext& c) { return expr(call("torch.huber_loss", {in(c, 0), in(c, 1), reduction(c), c.attr("delta")})); }

TorchEmission klDivLoss(const TorchEmitContext& c) {
  if (c.value("reduction").asString() != "batchmean")
    return expr(call("torch.kl_div", {in(c, 0), in(c, 1), reduction(c), "log_target=" + c.attr("log_target")}));
  return expr(call("torch.kl_div", {in(c, 0), in(c, 1), "2", "log_target=" + c.attr("log_target")}) + " / " +
              in(c, 0) + ".size(0)");
}

TorchEmission crossEntropyLoss(const TorchEmitContext& c) {
  return expr(call("torch.cross_entropy_loss", {in(c, 0), in(c, 1), c.param("weight"), reduction(c),
                                                c.attr("ignore_index"), c.attr("label_smoothing")}));
}
TorchEmission nllLoss(const TorchEmitContext& c) {
  return expr(call("torch.nll_loss_nd", {in(c, 0), in(c, 1), c.param("weight"), reduction(c), c.attr("ignore_index")}));
}
TorchEmission bceLoss(const TorchEmitContext& c) {
  return expr(call("torch.binary_cross_entropy", {in(c, 0), in(c, 1), c.param("weight"), reduction(c)}));
}
TorchEmission bceWithLogitsLoss(const TorchEmitContext& c) {
  return expr(call("torch.binary_cross_entropy_with_logits",
                   {in(c, 0), in(c, 1), c.param("weight"), c.param("pos_weight"), reduction(c)}));
}

// ---- the table -----------------------------------------------------------------------------

Value reluOrGelu(const Value& code) {
  // The transformer layers keep their activation as a function plus this code; any other
  // code is a custom activation, which no catalogue op has.
  if (code.isInt() && code.asInt() == 1) return Value::ofString("relu");
  if (code.isInt() && code.asInt() == 2) return Value::ofString("gelu");
  return code;
}

constexpr AtenArg in{AtenArgRole::Input};
constexpr AtenArg ins{AtenArgRole::Inputs};
constexpr AtenArg ignore{AtenArgRole::Ignore};
constexpr AtenArg attr(const char* name) { return {AtenArgRole::Attr, name}; }

/// What the transformer layers hold: their sizes live in their submodules.
TorchOp transformerLayerRow(const char* op, bool decoder) {
  TorchOp row(op, "");
  row.module(transformerLayer)
      .attr("d_model", "self_attn.embed_dim")
      .attr("nhead", "self_attn.num_heads")
      .attr("dim_feedforward", "linear1.out_features")
      .attr("dropout", "dropout.p")
      .attr("layer_norm_eps", "norm1.eps")
      .attr("batch_first", "self_attn.batch_first")
      .attr("activation", "activation_relu_or_gelu", Value(), nullptr, reluOrGelu)
      .child("self_attn", "MultiheadAttention")
      .child("self_attn.out_proj", "NonDynamicallyQuantizableLinear")
      .child("linear1", "Linear")
      .child("linear2", "Linear")
      .child("norm1", "LayerNorm")
      .child("norm2", "LayerNorm");
  if (decoder)
    row.child("multihead_attn", "MultiheadAttention")
        .child("multihead_attn.out_proj", "NonDynamicallyQuantizableLinear")
        .child("norm3", "LayerNorm");
  return row;
}

std::vector<TorchOp> rows() {
  return {
      TorchOp("Identity", "").module(identity),
      TorchOp("Conv", "").module(conv).tracedWith(tracedConvolution),
      TorchOp("ConvTranspose", "").module(convTranspose).tracedWith(tracedConvolution),
      TorchOp("Linear", "").module(linear).tracedWith(tracedLinear),
      TorchOp("Bilinear", "").module(bilinear),
      TorchOp("BatchNorm", "").module(batchNorm).tracedWith(tracedBatchNorm),
      TorchOp("InstanceNorm", "").module(instanceNorm),
      TorchOp("LayerNorm", "").module(layerNorm).tracedWith(tracedLayerNorm),
      TorchOp("GroupNorm", "").module(groupNorm),
      TorchOp("LocalResponseNorm", "").module(localResponseNorm),

      TorchOp("ReLU", "")
          .module(unary<kRelu>)
          .aten("aten::relu", {in})
          .aten("aten::relu_", {in}, inPlace),
      TorchOp("ReLU6", "").module(relu6),
      TorchOp("LeakyReLU", "").module(leakyRelu),
      TorchOp("ELU", "").module(elu),
      TorchOp("SELU", "").module(unary<kSelu>),
      TorchOp("CELU", "").module(celu),
      TorchOp("GELU", "").module(gelu).aten("aten::gelu", {in, attr("approximate")}),
      TorchOp("SiLU", "").module(unary<kSilu>).aten("aten::silu", {in}),
      TorchOp("Mish", "").module(unary<kMish>),
      TorchOp("Sigmoid", "").module(unary<kSigmoid>).aten("aten::sigmoid", {in}),
      TorchOp("Tanh", "").module(unary<kTanh>).aten("aten::tanh", {in}),
      TorchOp("Hardswish", "").module(unary<kHardswish>),
      TorchOp("Hardsigmoid", "").module(unary<kHardsigmoid>),
      TorchOp("Softplus", "").module(softplus),
      TorchOp("Softsign", "").module(softsign),
      TorchOp("Hardshrink", "").module(hardshrink).aten("aten::hardshrink", {in, attr("lambd")}),
      TorchOp("Softshrink", "").module(softshrink).aten("aten::softshrink", {in, attr("lambd")}),
      TorchOp("PReLU", "").module(prelu),
      TorchOp("Softmax", "").module(softmax).aten("aten::softmax", {in, attr("dim"), ignore}),
      TorchOp("LogSoftmax", "")
          .module(logSoftmax)
          .aten("aten::log_softmax", {in, attr("dim"), ignore}),
      TorchOp("Hardtanh", "")
          .module(hardtanh)
          .aten("aten::hardtanh", {in, attr("min_val"), attr("max_val")})
          .aten("aten::hardtanh_", {in, attr("min_val"), attr("max_val")}, inPlace),

      TorchOp("MaxPool", "").module(maxPool),
      TorchOp("MaxPool2d", "aten::max_pool2d")
          .aten("aten::max_pool2d", {in, attr("kernel_size"), attr("stride"), attr("padding"),
                                     attr("dilation"), attr("ceil_mode")}),
      TorchOp("AvgPool", "").module(avgPool),
      TorchOp("AvgPool2d", "aten::avg_pool2d")
          .aten("aten::avg_pool2d", {in, attr("kernel_size"), attr("stride"), attr("padding"),
                                     attr("ceil_mode"), attr("count_include_pad"),
                                     attr("divisor_override")}),
      TorchOp("AdaptiveAvgPool", "").module(adaptiveAvgPool),
      TorchOp("AdaptiveAvgPool1d", "aten::adaptive_avg_pool1d")
          .aten("aten::adaptive_avg_pool1d", {in, attr("output_size")}),
      TorchOp("AdaptiveAvgPool2d", "aten::adaptive_avg_pool2d")
          .aten("aten::adaptive_avg_pool2d", {in, attr("output_size")}),
      TorchOp("AdaptiveAvgPool3d", "aten::adaptive_avg_pool3d")
          .aten("aten::adaptive_avg_pool3d", {in, attr("output_size")}),
      TorchOp("AdaptiveMaxPool", "").module(adaptiveMaxPool),
      TorchOp("Dropout", "").module(dropout<kDropout>).aten("aten::dropout", {in, attr("p"), ignore}),
      TorchOp("Dropout1d", "").module(dropout<kFeatureDropout>),
      TorchOp("Dropout2d", "").module(dropout<kFeatureDropout>),
      TorchOp("Dropout3d", "").module(dropout<kFeatureDropout>),
      TorchOp("AlphaDropout", "").module(dropout<kAlphaDropout>),
      TorchOp("FeatureAlphaDropout", "").module(dropout<kFeatureAlphaDropout>),
      TorchOp("Flatten", "")
          .module(flatten)
          .aten("aten::flatten", {in, attr("start_dim"), attr("end_dim")}),
      TorchOp("Unflatten", "").module(unflatten),
      TorchOp("PixelShuffle", "").module(pixelShuffle),
      TorchOp("ZeroPad2d", "").module(constantPad),
      TorchOp("ConstantPad", "").module(constantPad),
      TorchOp("Upsample", "").module(upsample).only(supportsUpsample, "to known output sizes in mode 'area'"),
      TorchOp("Embedding", "").module(embedding).tracedWith(tracedEmbedding),

      TorchOp("Add", "").function(add).aten("aten::add", {in, in, attr("alpha")})
          .aten("aten::add_", {in, in, attr("alpha")}),
      TorchOp("Sub", "").function(sub).aten("aten::sub", {in, in, attr("alpha")})
          .aten("aten::sub_", {in, in, attr("alpha")}),
      TorchOp("Mul", "").function(mul).aten("aten::mul", {in, in}).aten("aten::mul_", {in, in}),
      TorchOp("Div", "")
          .function(div)
          .aten("aten::div", {in, in})
          .aten("aten::div", {in, in, attr("rounding_mode")}),
      TorchOp("Pow", "").function(pow).aten("aten::pow", {in, attr("exponent")}),
      TorchOp("Sqrt", "").function(unary<kSqrt>).aten("aten::sqrt", {in}),
      TorchOp("Exp", "").function(unary<kExp>).aten("aten::exp", {in}),
      TorchOp("Log", "").function(unary<kLog>).aten("aten::log", {in}),
      TorchOp("Erf", "").function(unary<kErf>).aten("aten::erf", {in}),
      TorchOp("Clamp", "").function(clamp).aten("aten::clamp", {in, attr("min"), attr("max")}),
      TorchOp("Where", "").function(where).aten("aten::where", {in, in, in}),
      TorchOp("MatMul", "").function(matmul).aten("aten::matmul", {in, in}),
      TorchOp("Concat", "").function(concat).aten("aten::cat", {ins, attr("dim")}),
      TorchOp("Split", "")
          .function(split)
          .aten("aten::split", {in, attr("split_size_or_sections"), attr("dim")}),
      TorchOp("Chunk", "").function(chunk).aten("aten::chunk", {in, attr("chunks"), attr("dim")}),
      TorchOp("Reshape", "")
          .function(reshape)
          .aten("aten::reshape", {in, attr("shape")})
          .aten("aten::view", {in, attr("shape")}),
      TorchOp("Permute", "").function(permute).aten("aten::permute", {in, attr("dims")}),
      TorchOp("Transpose", "")
          .function(transpose)
          .aten("aten::transpose", {in, attr("dim0"), attr("dim1")}),
      TorchOp("Squeeze", "")
          .function(squeeze)
          .aten("aten::squeeze", {in})
          .aten("aten::squeeze", {in, attr("dim")}),
      TorchOp("Unsqueeze", "").function(unsqueeze).aten("aten::unsqueeze", {in, attr("dim")}),
      TorchOp("Slice", "")
          .function(slice)
          .aten("aten::slice", {in, attr("dim"), attr("start"), attr("end"), attr("step")},
                openEnd),
      TorchOp("Select", "").function(select).aten("aten::select", {in, attr("dim"), attr("index")}),
      TorchOp("Mean", "")
          .function(mean)
          .aten("aten::mean", {in, ignore})
          .aten("aten::mean", {in, attr("dim"), attr("keepdim"), ignore}, singleDim),
      TorchOp("Sum", "")
          .function(sum)
          .aten("aten::sum", {in, ignore})
          .aten("aten::sum", {in, attr("dim"), attr("keepdim"), ignore}, singleDim),
      TorchOp("Max", "")
          .function(max)
          .aten("aten::max", {in})
          .aten("aten::max", {in, attr("dim"), attr("keepdim")}),
      TorchOp("Constant", "")
          .function(constant)
          .aten("aten::tensor", {attr("value"), attr("dtype"), ignore, ignore}, dtypeCode),
      TorchOp("Parameter", "").function(parameter),
      // Calls that return their input: dropout outside training, layout and autograd.
      TorchOp("Identity", "aten::contiguous").passing().aten("aten::contiguous", {in, ignore}),
      TorchOp("Identity", "aten::detach").passing().aten("aten::detach", {in}),
      TorchOp("Identity", "aten::clone").passing().aten("aten::clone", {in, ignore}),

      TorchOp("RNN", "").module(recurrent),
      TorchOp("LSTM", "").module(recurrent).tracedWith(tracedRecurrent),
      TorchOp("GRU", "").module(recurrent).tracedWith(tracedRecurrent),
      TorchOp("MultiheadAttention", "")
          .module(multiheadAttention)
          .whetherSet("bias", "in_proj_bias")
          .whetherSet("add_bias_kv", "bias_k")
          .child("out_proj", "NonDynamicallyQuantizableLinear"),
      transformerLayerRow("TransformerEncoderLayer", false),
      transformerLayerRow("TransformerDecoderLayer", true),

      TorchOp("MSELoss", "").module(mseLoss),
      TorchOp("L1Loss", "").module(l1Loss),
      TorchOp("SmoothL1Loss", "").module(smoothL1Loss),
      TorchOp("HuberLoss", "").module(huberLoss),
      TorchOp("KLDivLoss", "").module(klDivLoss),
      TorchOp("CrossEntropyLoss", "").module(crossEntropyLoss),
      TorchOp("NLLLoss", "").module(nllLoss),
      TorchOp("BCELoss", "").module(bceLoss),
      TorchOp("BCEWithLogitsLoss", "").module(bceWithLogitsLoss),
  };
}

}  // namespace

std::string torchLiteral(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::None: return "None";
    case Value::Kind::Bool: return value.asBool() ? "True" : "False";
    case Value::Kind::Int: return std::to_string(value.asInt());
    case Value::Kind::Float: {
      std::string text = value.toString();  // the shortest spelling that reads back
      if (text == "inf" || text == "-inf" || text == "nan") return "float(\"" + text + "\")";
      if (text.find_first_of(".eEn") == std::string::npos) text += ".0";  // stays a float
      return text;
    }
    case Value::Kind::String: return "\"" + value.asString() + "\"";
    case Value::Kind::List: {
      std::string out = "[";
      for (size_t i = 0; i < value.asList().size(); ++i)
        out += (i ? ", " : "") + torchLiteral(value.asList()[i]);
      return out + "]";
    }
  }
  return "None";
}

std::string torchMember(const std::string& object, const std::string& name) {
  if (isTorchIdentifier(name)) return object + "." + name;
  return "getattr(" + object + ", \"" + name + "\")";
}

std::string TorchEmitContext::param(const std::string& name) const {
  if (!hasParam(name)) return "None";
  if (name.empty()) return torchMember(paramPrefix.substr(0, paramPrefix.size() - 1), node.name);
  return paramPrefix + name;
}

bool TorchEmitContext::hasParam(const std::string& name) const {
  for (const ParamSpec& p : node.params)
    if (p.name == name) return true;
  return false;
}

std::string TorchEmitContext::attr(const std::string& name) const {
  const Value& v = node.attrs.at(name);
  const AttrDef* def = node.op->findAttr(name);
  if (def && v.isInt() && (def->type == AttrType::IntN || def->type == AttrType::Ints)) {
    size_t count = def->type == AttrType::IntN ? static_cast<size_t>(def->rank) : 1;
    return torchLiteral(Value::ofInts(std::vector<int64_t>(count, v.asInt())));
  }
  if (def && v.isNumber() && def->type == AttrType::Float) return torchLiteral(Value::ofFloat(v.asNumber()));
  return torchLiteral(v);
}

std::vector<std::string> TorchOp::readKeys() const {
  std::vector<std::string> keys;
  if (isModule)
    for (const std::string& op : opsNamed(this->op, "torch")) keys.push_back(moduleType(op));
  for (const AtenCall& call : calls)
    if (std::find(keys.begin(), keys.end(), call.kind) == keys.end()) keys.push_back(call.kind);
  return keys;
}

const OpMappingTable<TorchOp>& torchOps() {
  static const OpMappingTable<TorchOp> table("torch", rows());
  return table;
}

std::optional<std::pair<const TorchOp*, const AtenCall*>> findAtenCall(const std::string& kind,
                                                                        size_t argumentCount) {
  const TorchOp* row = torchOps().reader(kind);
  if (!row) return std::nullopt;
  const AtenCall* fallback = nullptr;
  for (const AtenCall& call : row->calls) {
    if (call.kind != kind) continue;
    if (call.args.size() == argumentCount) return std::make_pair(row, &call);
    if (!fallback && call.args.size() > argumentCount) fallback = &call;
  }
  if (!fallback) return std::nullopt;
  return std::make_pair(row, fallback);
}

}  // namespace sketch
