// The sliding-window attributes Conv and the pools share (kernel_shape, strides, pads,
// dilations, auto_pad), turned into PyTorch's symmetric kernel_size/stride/padding/dilation.
#pragma once

#include <optional>
#include <vector>

#include "import/converter.h"

namespace sketch::onnx_import {

struct Window {
  std::vector<int64_t> kernel, stride, padding, dilation;
  /// ONNX's pads (all starts, then all ends) when they differ at the two ends of a dim,
  /// which PyTorch's layers cannot express; empty otherwise.
  std::vector<int64_t> asymmetricPads;
};

/// Reads the window of a node whose spatial rank is `rank`. PyTorch pads both sides
/// equally: asymmetric pads are reported unless `allowAsymmetric`, which leaves them in
/// asymmetricPads for the caller to pad first.
std::optional<Window> readWindow(ConvertContext& ctx, size_t rank,
                                 const std::vector<int64_t>& kernel, bool allowAsymmetric = false);

/// Pads `input` as ONNX's Pad does in constant mode (`pads`: all starts, then all ends,
/// one pair per dim): ZeroPad2d or ConstantPad{1,2,3}d over the trailing padded dims.
std::optional<PortRef> emitConstantPad(ConvertContext& ctx, PortRef input,
                                       const std::vector<int64_t>& pads, double value);

/// An int tuple as a Value ((3, 3)).
inline Value ints(const std::vector<int64_t>& values) { return Value::ofInts(values); }

}  // namespace sketch::onnx_import
