// Pieces shared by the layer op families (conv, pool, norm, activation, ...): attribute
// builders for the shapes PyTorch's constructors take, checks on [N, C, *spatial] inputs,
// sliding-window arithmetic, parameter specs with PyTorch's default init, MAC counting.
//
// Private to lib/ops; it knows no single op, only the conventions of torch.nn layers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ops/op_def.h"
#include "ops/shape_context.h"

namespace sketch {

/// An int-or-tuple attribute of `rank` ints (kernel_size=3 or (3, 3)); none default = optional.
AttrDef intNAttr(std::string name, int rank, Value defaultValue, std::string doc = "");
/// The required kernel_size of convolutions and pools.
AttrDef kernelSizeAttr(int rank);
/// A string attribute restricted to `choices`.
AttrDef choiceAttr(std::string name, std::string defaultValue, std::vector<std::string> choices,
                   std::string doc = "");
/// An attribute whose default is not none but which also accepts none (momentum=None).
AttrDef nullableAttr(std::string name, AttrType type, Value defaultValue, std::string doc = "");

/// The `inplace` flag many activations take; it does not change shapes.
AttrDef inplaceAttr();

/// An Int or IntN attribute from resolved attributes, expanded to `rank` ints.
std::vector<int64_t> intsOf(const Attrs& attrs, const std::string& name, size_t rank);

/// MacFn for ops that do no multiply-accumulates (elementwise, norms, pools, reshapes).
int64_t noMacs(const Attrs&, const std::vector<TensorType>&, const std::vector<TensorType>&);
/// Elements of a type with symbolic dims counted as 1 (per sample).
int64_t elementCount(const TensorType& type);
int64_t product(const std::vector<int64_t>& values);

/// Output 0 is input 0 (elementwise ops).
void sameShape(ShapeContext& ctx);

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

/// A dim attribute wrapped into [0, rank) as PyTorch does (-1 is the last dim); reports on
/// the attribute when out of range.
std::optional<size_t> wrapDimAttr(ShapeContext& ctx, const std::string& attr, size_t rank);

/// A value for "found ..." in messages: "none", "int 3", "string \"2\"", "tuple (1, 2)".
std::string describeValue(const Value& value);

/// "(3, 3)".
std::string intsString(const std::vector<int64_t>& values);

/// One spatial dim of a sliding window (convolution, pooling).
struct Window {
  int64_t kernel = 1;
  int64_t stride = 1;
  int64_t padding = 0;
  int64_t dilation = 1;
  int64_t span() const { return dilation * (kernel - 1) + 1; }
};
/// floor((in + 2*padding - dilation*(kernel-1) - 1) / stride) + 1, as torch.nn.Conv2d's docs.
Dim windowOutput(const Dim& in, const Window& w);
/// Reports unless the padded input is at least as large as the (dilated) kernel in every
/// spatial dim; windows[i] applies to dim first+i of input 0.
bool expectWindowsFit(ShapeContext& ctx, size_t first, const std::vector<Window>& windows);

/// U(-1/sqrt(fan_in), 1/sqrt(fan_in)): PyTorch's kaiming_uniform_(a=sqrt(5)) for Conv and
/// Linear weights, and their bias init.
Init fanInUniform(int64_t fanIn);
ParamSpec parameter(std::string name, std::vector<int64_t> shape, Init init);
ParamSpec buffer(std::string name, std::vector<int64_t> shape, Init init,
                 DType dtype = DType::Float32);
/// weight=1, bias=0 of an affine normalisation over `shape`.
void appendAffine(std::vector<ParamSpec>& out, std::vector<int64_t> shape);
/// running_mean, running_var and num_batches_tracked of _NormBase.
void appendRunningStats(std::vector<ParamSpec>& out, int64_t features);

}  // namespace sketch
