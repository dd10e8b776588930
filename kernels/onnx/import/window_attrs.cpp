#include "import/window_attrs.h"

#include <algorithm>

namespace sketch::onnx_import {

namespace {

/// Pads for auto_pad SAME_UPPER/SAME_LOWER on a known input (ONNX's formula).
std::optional<std::vector<int64_t>> samePads(ConvertContext& ctx, const Window& w, bool upper) {
  const TensorType* in = ctx.inputType(0);
  size_t rank = w.kernel.size();
  if (!in || in->rank() < rank) return std::nullopt;
  std::vector<int64_t> pads(2 * rank);
  for (size_t i = 0; i < rank; ++i) {
    const Dim& d = in->dims[in->rank() - rank + i];
    if (!d.isKnown()) return std::nullopt;
    int64_t out = (d.value() + w.stride[i] - 1) / w.stride[i];
    int64_t total = std::max<int64_t>(
        0, (out - 1) * w.stride[i] + (w.kernel[i] - 1) * w.dilation[i] + 1 - d.value());
    pads[i] = upper ? total / 2 : total - total / 2;
    pads[i + rank] = total - pads[i];
  }
  return pads;
}

}  // namespace

std::optional<Window> readWindow(ConvertContext& ctx, size_t rank,
                                 const std::vector<int64_t>& kernel, bool allowAsymmetric) {
  Window w;
  w.kernel = kernel;
  w.stride = ctx.attrInts("strides");
  w.dilation = ctx.attrInts("dilations");
  if (w.stride.empty()) w.stride.assign(rank, 1);
  if (w.dilation.empty()) w.dilation.assign(rank, 1);
  std::vector<int64_t> pads = ctx.attrInts("pads");
  std::string autoPad = ctx.attrString("auto_pad", "NOTSET");
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    auto same = samePads(ctx, w, autoPad == "SAME_UPPER");
    if (!same) {
      ctx.fail("auto_pad " + autoPad + " needs a known input shape");
      return std::nullopt;
    }
    pads = *same;
  }
  if (pads.empty() || autoPad == "VALID") pads.assign(2 * rank, 0);
  if (w.kernel.size() != rank || w.stride.size() != rank || w.dilation.size() != rank ||
      pads.size() != 2 * rank) {
    ctx.fail("kernel_shape, strides, dilations or pads do not match the spatial rank " +
             std::to_string(rank));
    return std::nullopt;
  }
  for (size_t i = 0; i < rank; ++i) {
    if (pads[i] != pads[i + rank]) w.asymmetricPads = pads;
    w.padding.push_back(pads[i]);
  }
  if (w.asymmetricPads.empty()) return w;
  if (!allowAsymmetric) {
    ctx.fail("pads " + Value::ofInts(pads).toString() +
             " differ at the start and end of a dim, but PyTorch pads both sides equally");
    return std::nullopt;
  }
  w.padding.assign(rank, 0);
  return w;
}

std::optional<PortRef> emitConstantPad(ConvertContext& ctx, PortRef input,
                                       const std::vector<int64_t>& pads, double value) {
  size_t rank = pads.size() / 2;
  size_t first = rank;  // the first dim with padding
  for (size_t i = 0; i < rank; ++i)
    if (pads[i] != 0 || pads[i + rank] != 0) first = std::min(first, i);
  size_t padded = std::max<size_t>(rank - first, 1);
  if (padded > 3 || padded > rank) {
    ctx.fail("pads " + Value::ofInts(pads).toString() +
             " pad more than the last 3 dims, which PyTorch's padding layers cannot");
    return std::nullopt;
  }
  // PyTorch lists the last dim first: (left, right, top, bottom, front, back).
  std::vector<int64_t> padding;
  for (size_t i = rank; i-- > rank - padded;) {
    padding.push_back(pads[i]);
    padding.push_back(pads[i + rank]);
  }
  std::optional<NodeId> id;
  if (padded == 2 && value == 0) {
    id = ctx.emit("ZeroPad2d", {kw("padding", ints(padding))}, {input});
  } else {
    id = ctx.emit("ConstantPad" + std::to_string(padded) + "d",
                  {kw("padding", ints(padding)), kw("value", Value::ofFloat(value))}, {input});
  }
  if (!id) return std::nullopt;
  return PortRef{*id, 0};
}

}  // namespace sketch::onnx_import
