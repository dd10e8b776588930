// The sliding-window attributes Conv and the pools share (kernel_shape, strides, pads,
// dilations, auto_pad), turned into PyTorch's symmetric kernel_size/stride/padding/dilation.
#pragma once

#include <optional>
#include <vector>

#include "import/converter.h"

namespace sketch::onnx_import {

struct Window {
  std::vector<int64_t> kernel, stride, padding, dilation;
};

/// Reads the window of a node whose spatial rank is `rank`. PyTorch pads both sides
/// equally, so asymmetric pads (and auto_pad that needs them) are reported.
std::optional<Window> readWindow(ConvertContext& ctx, size_t rank,
                                 const std::vector<int64_t>& kernel);

/// An int tuple as a Value ((3, 3)).
inline Value ints(const std::vector<int64_t>& values) { return Value::ofInts(values); }

}  // namespace sketch::onnx_import
