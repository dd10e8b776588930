// Pieces shared by every op family in lib/ops: attribute builders for the argument kinds
// PyTorch's constructors and functions take, PyTorch's dim wrapping, broadcasting and dtype
// promotion, checks that report through ShapeContext, sliding-window arithmetic, parameter
// specs with PyTorch's default init, and MAC counting.
//
// Private to lib/ops. It knows no single op, only the conventions of torch.nn and torch;
// it depends on core/ and the op definition API alone.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "ops/op_def.h"
#include "ops/shape_context.h"

namespace sketch {

// --- Attributes -------------------------------------------------------------------------

/// An attribute with a default, as OpDef::optional adds one (a none default makes it
/// optional); for attribute lists built before their OpDef.
AttrDef optionalAttr(std::string name, AttrType type, Value defaultValue, std::string doc = "");
/// An int-or-tuple attribute of `rank` ints (kernel_size=3 or (3, 3)); none default = optional.
AttrDef intNAttr(std::string name, int rank, Value defaultValue, std::string doc = "");
/// The required kernel_size of convolutions and pools.
AttrDef kernelSizeAttr(int rank);
/// A string attribute restricted to `choices`; a none default makes it optional
/// (rounding_mode=None).
AttrDef choiceAttr(std::string name, Value defaultValue, std::vector<std::string> choices,
                   std::string doc = "");
/// An attribute whose default is not none but which also accepts none (momentum=None).
AttrDef nullableAttr(std::string name, AttrType type, Value defaultValue, std::string doc = "");
/// The `inplace` flag many activations take; it does not change shapes.
AttrDef inplaceAttr();

/// An int attribute, or `fallback` when it is none or the op lacks it (proj_size of RNN).
int64_t intOr(const Attrs& attrs, const std::string& name, int64_t fallback);
/// An Int, IntN or Ints attribute from resolved attributes; a single int becomes `rank` ints.
std::vector<int64_t> intsOf(const Attrs& attrs, const std::string& name, size_t rank);

// --- Dims and dtypes --------------------------------------------------------------------

/// PyTorch's dim wrapping: -1 is the last of `rank` dims. nullopt when out of range.
std::optional<size_t> normalizeDim(int64_t dim, size_t rank);
/// Wraps `dim` (the value of attribute `attr`, or one item of it) for input `input`, PyTorch's
/// way, a 0-d tensor as if it had one dim; reports "<label> has dim 4, out of range for a 2-D
/// input: 'x' gives [N, 3]" when out of range. `rank` is passed separately because Unsqueeze
/// wraps over one more dim.
std::optional<size_t> resolveDim(ShapeContext& ctx, const std::string& attr, int64_t dim,
                                 size_t input, size_t rank);
/// resolveDim for the int attribute `attr` of a dim of input 0.
std::optional<size_t> resolveDimAttr(ShapeContext& ctx, const std::string& attr, size_t rank);

/// NumPy/PyTorch broadcasting of two shapes; nullopt when they are incompatible.
std::optional<std::vector<Dim>> broadcastShapes(const std::vector<Dim>& a,
                                                const std::vector<Dim>& b);

/// torch.result_type for two tensors: floating beats integral, wider beats narrower.
DType promoteTypes(DType a, DType b);
/// Integral inputs of float-only functions (sqrt, mean, ...) compute in float32.
DType floatResult(DType dtype);

// --- Spelling values in messages ---------------------------------------------------------

/// "[N, 3, 32]" for a list of dims.
std::string dimsString(const std::vector<Dim>& dims);
/// "(3, 3)"; a single value is spelled alone ("3"), as an int-or-tuple argument may be written.
std::string intsString(const std::vector<int64_t>& values);
/// A value for "found ..." in messages: "none", "int 3", "string \"2\"", "tuple (1, 2)".
std::string describeValue(const Value& value);

// --- Shape checks -----------------------------------------------------------------------

/// Output 0 is input 0 (elementwise ops).
void sameShape(ShapeContext& ctx);

/// `shape` after a check that every linked input is floating point: for ops whose PyTorch
/// kernels exist only for floating types (Linear, convolutions, norms, max pools, most
/// activations), which reject int64 and bool tensors.
ShapeFn floatingInputs(ShapeFn shape);

/// Checks that input 0 is unbatched [C, *spatial] or batched [N, C, *spatial].
bool expectSpatialInput(ShapeContext& ctx, size_t spatialRank);
/// Index of the channel dim of a [C, *spatial] or [N, C, *spatial] input.
size_t channelDim(const TensorType& input, size_t spatialRank);

/// Reports on `attr` unless every value is at least `min`; `what` names the violation
/// ("non-positive", "negative").
bool expectAtLeast(ShapeContext& ctx, const std::string& attr, const std::vector<int64_t>& values,
                   int64_t min, const std::string& what);
/// Reports on `attr` unless `value` divides by `divisor`.
bool expectDivisible(ShapeContext& ctx, const std::string& attr, int64_t value,
                     const std::string& divisorName, int64_t divisor);

// --- Sliding windows (convolution, pooling) ---------------------------------------------

/// One spatial dim of a sliding window.
struct Window {
  int64_t kernel = 1;
  int64_t stride = 1;
  int64_t padding = 0;
  int64_t dilation = 1;
  int64_t span() const { return dilation * (kernel - 1) + 1; }
};
/// One Window per spatial dim from per-dim kernel, stride, padding and dilation.
std::vector<Window> makeWindows(const std::vector<int64_t>& kernel,
                                const std::vector<int64_t>& stride,
                                const std::vector<int64_t>& padding,
                                const std::vector<int64_t>& dilation);
/// floor((in + 2*padding - dilation*(kernel-1) - 1) / stride) + 1, as torch.nn.Conv2d's docs.
Dim windowOutput(const Dim& in, const Window& w);
/// Reports (on kernel_size) a window whose extent, dilation * (kernel - 1) + 2 * padding +
/// stride, is not far inside 64 bits; after it, window arithmetic cannot overflow.
bool expectWindowsRepresentable(ShapeContext& ctx, const std::vector<Window>& windows);
/// Reports unless the padded input is at least as large as the (dilated) kernel in every
/// spatial dim; windows[i] applies to dim first+i of input 0.
bool expectWindowsFit(ShapeContext& ctx, size_t first, const std::vector<Window>& windows);

// --- Implied inputs ---------------------------------------------------------------------

/// [N, C, *spatial] with C from attribute `channels` (Conv2d: float32[N, C, H, W]); spatial
/// dims are named L for one, H and W for two, D, H and W for three.
ImpliedInputFn impliesSpatialInput(std::string channels, size_t spatialRank);
/// float32[N, F] with F from attribute `features` (Linear, BatchNorm1d).
ImpliedInputFn impliesFeatureInput(std::string features);
/// A sequence of attribute `features` per step: [N, L, F] with batch_first, else [L, N, F].
ImpliedInputFn impliesSequenceInput(std::string features);

// --- Parameters -------------------------------------------------------------------------

/// U(-1/sqrt(fan_in), 1/sqrt(fan_in)): PyTorch's kaiming_uniform_(a=sqrt(5)) for Conv and
/// Linear weights, their bias init, and RNNBase's init with the hidden size as fan_in.
Init fanInUniform(int64_t fanIn);
/// A trained float32 tensor.
ParamSpec parameter(std::string name, std::vector<int64_t> shape, Init init);
/// A tensor in the state_dict that is not trained (running stats, loss weights).
ParamSpec buffer(std::string name, std::vector<int64_t> shape, Init init,
                 DType dtype = DType::Float32);
/// `weight` of `shape` and, when `biasSize` is given, `bias` [biasSize], both
/// fanInUniform(fanIn): what nn.Linear, nn.Bilinear and nn.ConvNd create. `prefix` names
/// a submodule ("linear1.").
void appendWeightAndBias(std::vector<ParamSpec>& out, std::vector<int64_t> shape, int64_t fanIn,
                         std::optional<int64_t> biasSize, const std::string& prefix = "");
/// weight=1, bias=0 of an affine normalisation over `shape`.
void appendAffine(std::vector<ParamSpec>& out, std::vector<int64_t> shape,
                  const std::string& prefix = "");
/// running_mean, running_var and num_batches_tracked of _NormBase.
void appendRunningStats(std::vector<ParamSpec>& out, int64_t features);

// --- MACs -------------------------------------------------------------------------------

/// MacFn for ops that do no multiply-accumulates (elementwise, norms, pools, views, losses).
int64_t noMacs(const Attrs&, const std::vector<TensorType>&, const std::vector<TensorType>&);
/// Product of dims with symbolic dims counted as 1 (MACs are per sample); saturates.
int64_t elementsPerSample(const std::vector<Dim>& dims);
/// Product of known sizes (kernel elements); saturates.
int64_t product(const std::vector<int64_t>& values);
/// Product of counts that saturates at INT64_MAX instead of overflowing: shapes come from
/// files and users, and a count no machine could run needs no exact value.
int64_t saturatingProduct(std::initializer_list<int64_t> values);
/// Sum of non-negative counts that saturates at INT64_MAX.
int64_t saturatingSum(std::initializer_list<int64_t> values);

}  // namespace sketch
