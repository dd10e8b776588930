// Shape ops: Flatten, Reshape, Transpose, Squeeze, Unsqueeze, Slice and Gather (Concat maps
// one-to-one).
// Shapes come from ONNX shape inference or folded constants (normalise), so a Reshape by a
// Shape/Gather/Concat chain arrives here with a known target. Gather of a weight table by
// indices is an Embedding; Gather of one constant index is Select.
#include <limits>

#include "import/converters.h"
#include "import/window_attrs.h"

namespace sketch::onnx_import {

namespace {

/// The known output dims of the node; -1 in place of one symbolic dim (the batch).
std::optional<std::vector<int64_t>> targetShape(ConvertContext& ctx) {
  const TensorType* out = ctx.outputType(0);
  if (!out) return std::nullopt;
  std::vector<int64_t> shape;
  bool symbolic = false;
  for (const Dim& d : out->dims) {
    if (d.isKnown()) {
      shape.push_back(d.value());
    } else if (!symbolic) {
      symbolic = true;
      shape.push_back(-1);
    } else {
      return std::nullopt;
    }
  }
  return shape;
}

/// [d0, d1, ...] -> [d0, d1 * ...]: what torch's Flatten() gives.
bool isFlatten(const TensorType& in, const TensorType& out) {
  if (in.rank() < 3 || out.rank() != 2 || in.dims[0] != out.dims[0]) return false;
  Dim rest = Dim::known(1);
  for (size_t i = 1; i < in.rank(); ++i) rest = rest * in.dims[i];
  return rest == out.dims[1];
}

}  // namespace

/// A reshape to the node's inferred output: Flatten() when that is what it does.
bool importReshape(ConvertContext& ctx, const OnnxOp&) {
  const TensorType* in = ctx.inputType(0);
  const TensorType* out = ctx.outputType(0);
  if (in && out && isFlatten(*in, *out)) return emitUnaryOp(ctx, "Flatten", {});
  auto shape = targetShape(ctx);
  if (!shape) return ctx.fail("needs a known output shape (at most one symbolic dim)");
  return emitUnaryOp(ctx, "Reshape", {kw("shape", ints(*shape))});
}

bool importFlatten(ConvertContext& ctx, const OnnxOp& row) {
  if (ctx.attrInt("axis", 1) == 1) return emitUnaryOp(ctx, "Flatten", {});
  return importReshape(ctx, row);
}

bool importTranspose(ConvertContext& ctx, const OnnxOp&) {
  std::vector<int64_t> perm = ctx.attrInts("perm");
  const TensorType* in = ctx.inputType(0);
  if (perm.empty()) {
    if (!in) return ctx.fail("needs perm or an input of known rank");
    for (size_t i = in->rank(); i-- > 0;) perm.push_back(static_cast<int64_t>(i));
  }
  std::vector<int64_t> moved;
  for (size_t i = 0; i < perm.size(); ++i)
    if (perm[i] != static_cast<int64_t>(i)) moved.push_back(static_cast<int64_t>(i));
  if (moved.size() == 2 && perm[moved[0]] == moved[1])
    return emitUnaryOp(ctx, "Transpose",
                       {kw("dim0", Value::ofInt(moved[0])), kw("dim1", Value::ofInt(moved[1]))});
  return emitUnaryOp(ctx, "Permute", {kw("dims", ints(perm))});
}

/// Squeeze/Unsqueeze of one axis map directly; several axes become a Reshape.
bool importSqueeze(ConvertContext& ctx, const OnnxOp& row) {
  const std::string& op = row.op;
  std::vector<int64_t> axes;
  if (ctx.hasInput(1)) {
    auto given = ctx.constantInts(1);
    if (!given) return ctx.fail("needs constant axes");
    axes = *given;
  }
  if (axes.size() == 1) return emitUnaryOp(ctx, op, {kw("dim", Value::ofInt(axes[0]))});
  if (axes.empty() && op == "Squeeze") return emitUnaryOp(ctx, op, {});
  return importReshape(ctx, row);
}

/// Slice over constant starts/ends/axes/steps: one Slice per axis, chained.
bool importSlice(ConvertContext& ctx, const OnnxOp&) {
  auto starts = ctx.constantInts(1), ends = ctx.constantInts(2);
  std::optional<std::vector<int64_t>> axes, steps;
  if (ctx.hasInput(3)) axes = ctx.constantInts(3);
  if (ctx.hasInput(4)) steps = ctx.constantInts(4);
  if (!starts || !ends || (ctx.hasInput(3) && !axes) || (ctx.hasInput(4) && !steps))
    return ctx.fail("needs constant starts, ends, axes and steps");
  size_t n = starts->size();
  if (ends->size() != n || (axes && axes->size() != n) || (steps && steps->size() != n))
    return ctx.fail("starts, ends, axes and steps differ in length");
  auto port = ctx.port(0);
  if (!port) return false;
  for (size_t i = 0; i < starts->size(); ++i) {
    int64_t step = steps ? (*steps)[i] : 1;
    if (step <= 0) return ctx.fail("steps below 1 have no PyTorch slicing counterpart");
    // torch writes x[a:] with end INT64_MAX: that is `none` in Python's slicing.
    Value end = (*ends)[i] >= std::numeric_limits<int32_t>::max() ? Value::none()
                                                                  : Value::ofInt((*ends)[i]);
    auto id = ctx.emit(
        "Slice",
        {kw("dim", Value::ofInt(axes ? (*axes)[i] : static_cast<int64_t>(i))),
         kw("start", Value::ofInt((*starts)[i])), kw("end", end), kw("step", Value::ofInt(step))},
        {*port});
    if (!id) return false;
    port = PortRef{*id, 0};
  }
  ctx.setOutput(0, *port);
  return true;
}

bool importGather(ConvertContext& ctx, const OnnxOp&) {
  int64_t axis = ctx.attrInt("axis", 0);
  const Tensor* table = ctx.weight(0);
  if (table && table->shape().size() == 2 && axis == 0 && table->dtype() == DType::Float32) {
    auto indices = ctx.port(1);
    if (!indices) return false;
    auto id = ctx.emit("Embedding",
                       {kw("num_embeddings", Value::ofInt(table->shape()[0])),
                        kw("embedding_dim", Value::ofInt(table->shape()[1]))},
                       {*indices}, ctx.hintFromWeight(0, "weight"));
    if (!id) return false;
    ctx.setWeight(*id, "weight", *table);
    ctx.setOutput(0, {*id, 0});
    return true;
  }
  const Tensor* index = ctx.constant(1);
  if (!index || index->numel() != 1 || !index->shape().empty())
    return ctx.fail("gathers by something other than a weight table or one constant index");
  return emitUnaryOp(
      ctx, "Select",
      {kw("dim", Value::ofInt(axis)), kw("index", Value::ofInt(intElements(*index)[0]))});
}

}  // namespace sketch::onnx_import
