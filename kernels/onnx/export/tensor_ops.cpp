// Tensor functions: joining and splitting, indexing, reshaping and reductions. Dims are
// resolved against the inferred input rank, so negative torch dims need no runtime shape.
#include "building_blocks.h"
#include "emitters.h"

namespace sketch {

namespace {

int64_t axisOf(const EmitContext& ctx, const char* attr, size_t rank) {
  return positiveAxis(ctx.getInt(attr), rank);
}

}  // namespace

void emitConcat(EmitContext& ctx, const OnnxOp& row) {
  std::vector<std::string> inputs;
  for (size_t i = 0; i < ctx.inputCount(); ++i) inputs.push_back(ctx.input(i));
  setInt(ctx.add(row.foreign, inputs, {ctx.output(0)}), "axis",
         axisOf(ctx, "dim", ctx.inputType(0).rank()));
}

void emitSplit(EmitContext& ctx, const OnnxOp& row) {
  // Shape inference fixed every piece's size: Split takes them as its `split` input.
  int64_t axis = axisOf(ctx, "dim", ctx.inputType(0).rank());
  std::vector<int64_t> sizes;
  std::vector<std::string> outputs;
  for (size_t i = 0; i < ctx.outputCount(); ++i) {
    sizes.push_back(ctx.outputType(i).dims[axis].value());
    outputs.push_back(ctx.output(i));
  }
  setInt(ctx.add(row.foreign, {ctx.input(0), ctx.ints(sizes)}, outputs), "axis", axis);
}

void emitSlice(EmitContext& ctx, const OnnxOp& row) {
  int64_t axis = axisOf(ctx, "dim", ctx.inputType(0).rank());
  int64_t start = ctx.isNone("start") ? 0 : ctx.getInt("start");
  // Slice clamps ends to the dim, as Python slicing does.
  int64_t end = ctx.isNone("end") ? INT64_MAX : ctx.getInt("end");
  ctx.opTo(row.foreign,
           {ctx.input(0), ctx.ints({start}), ctx.ints({end}), ctx.ints({axis}),
            ctx.ints({ctx.getInt("step")})},
           ctx.output(0));
}

void emitSelect(EmitContext& ctx, const OnnxOp& row) {
  // A 0-d index removes the dim, as torch.select does; Gather accepts negative indices.
  std::string index = ctx.scalar(double(ctx.getInt("index")), DType::Int64);
  setInt(ctx.add(row.foreign, {ctx.input(0), index}, {ctx.output(0)}), "axis",
         axisOf(ctx, "dim", ctx.inputType(0).rank()));
}

void emitReshape(EmitContext& ctx, const OnnxOp&) {
  std::string y = reshapeTo(ctx, ctx.input(0), ctx.inputType(0), ctx.outputType(0));
  ctx.opTo("Identity", {y}, ctx.output(0));
}

void emitPermute(EmitContext& ctx, const OnnxOp& row) {
  size_t rank = ctx.inputType(0).rank();
  std::vector<int64_t> perm;
  for (int64_t d : ctx.attr("dims").asInts()) perm.push_back(positiveAxis(d, rank));
  setInts(ctx.add(row.foreign, {ctx.input(0)}, {ctx.output(0)}), "perm", perm);
}

void emitTranspose(EmitContext& ctx, const OnnxOp& row) {
  size_t rank = ctx.inputType(0).rank();
  std::vector<int64_t> perm;
  for (size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(i));
  if (rank > 0) std::swap(perm[axisOf(ctx, "dim0", rank)], perm[axisOf(ctx, "dim1", rank)]);
  setInts(ctx.add(row.foreign, {ctx.input(0)}, {ctx.output(0)}), "perm", perm);
}

void emitSqueeze(EmitContext& ctx, const OnnxOp& row) {
  // Only dims known to be 1 are removed (symbolic ones stand for batch sizes), so the axes
  // are explicit and the batch dim survives a batch of one.
  const TensorType& in = ctx.inputType(0);
  std::vector<int64_t> axes;
  for (size_t i = 0; i < in.rank(); ++i) {
    bool chosen = ctx.isNone("dim") || axisOf(ctx, "dim", in.rank()) == int64_t(i);
    if (chosen && in.dims[i] == Dim::known(1)) axes.push_back(int64_t(i));
  }
  if (axes.empty()) return ctx.opTo("Identity", {ctx.input(0)}, ctx.output(0));
  ctx.opTo(row.foreign, {ctx.input(0), ctx.ints(axes)}, ctx.output(0));
}

void emitUnsqueeze(EmitContext& ctx, const OnnxOp& row) {
  int64_t axis = positiveAxis(ctx.getInt("dim"), ctx.inputType(0).rank() + 1);
  ctx.opTo(row.foreign, {ctx.input(0), ctx.ints({axis})}, ctx.output(0));
}

void emitReduce(EmitContext& ctx, const OnnxOp& row) {
  size_t rank = ctx.inputType(0).rank();
  std::vector<int64_t> axes;
  const Value& dim = ctx.attr("dim");
  if (dim.isNone()) {
    for (size_t i = 0; i < rank; ++i) axes.push_back(int64_t(i));
  } else {
    for (int64_t d : dim.isInt() ? std::vector<int64_t>{dim.asInt()} : dim.asInts())
      axes.push_back(positiveAxis(d, rank));
  }
  bool keepdim = !ctx.isNone("keepdim") && ctx.getBool("keepdim");
  ctx.opTo("Identity", {reduce(ctx, row.foreign, ctx.input(0), axes, keepdim)}, ctx.output(0));
}

void emitMax(EmitContext& ctx, const OnnxOp& row) {
  size_t rank = ctx.inputType(0).rank();
  if (ctx.isNone("dim")) {
    std::vector<int64_t> axes;
    for (size_t i = 0; i < rank; ++i) axes.push_back(int64_t(i));
    return ctx.opTo("Identity", {reduce(ctx, row.foreign, ctx.input(0), axes, false)}, ctx.output(0));
  }
  int64_t axis = axisOf(ctx, "dim", rank);
  bool keepdim = ctx.getBool("keepdim");
  ctx.opTo("Identity", {reduce(ctx, row.foreign, ctx.input(0), {axis}, keepdim)}, ctx.output(0));
  // torch.max(dim) returns the first maximal position, as ArgMax does by default.
  onnx::NodeProto& n = ctx.add("ArgMax", {ctx.input(0)}, {ctx.output(1)});
  setInt(n, "axis", axis);
  setInt(n, "keepdims", keepdim);
}

}  // namespace sketch
