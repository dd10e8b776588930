// Tensor functions that join, split, view and reduce tensors (torch.cat, torch.split,
// torch.reshape, torch.sum, ...). Argument names follow the torch functions. Symbolic dims
// flow through as expressions. Where the result's structure depends on a symbolic dim's
// value (how many pieces Split makes), the op reports instead of guessing; Slice assumes a
// symbolic dim is long enough for its bounds, as x[:, :3] does.
#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/op_helpers.h"

namespace sketch {

namespace {

OpDef tensorOp(const std::string& name, const std::string& doc) {
  return OpDef(name, doc).category("tensor").module(false).macs(noMacs);
}

/// Index of the first dim other than `skip` where `a` and `b` differ, or -1.
int firstMismatch(const std::vector<Dim>& a, const std::vector<Dim>& b, size_t skip) {
  for (size_t i = 0; i < a.size(); ++i)
    if (i != skip && a[i] != b[i]) return static_cast<int>(i);
  return -1;
}

void inferConcat(ShapeContext& ctx) {
  if (ctx.inputCount() == 0) return ctx.error(ctx.label() + " needs at least one input");
  const TensorType& first = ctx.input(0);
  auto dim = resolveDimAttr(ctx, "dim", first.rank());
  if (!dim) return;
  if (first.rank() == 0)
    return ctx.inputError(0, ctx.label() + " cannot join 0-d tensors: " + ctx.describeInput(0));
  TensorType out = first;
  for (size_t i = 1; i < ctx.inputCount(); ++i) {
    const TensorType& t = ctx.input(i);
    if (t.rank() != first.rank()) {
      return ctx.inputError(i, ctx.label() + " expects input " + std::to_string(i) + " to have " +
                                   std::to_string(first.rank()) + " dims like input 0 (" +
                                   ctx.describeInput(0) + "), but " + ctx.describeInput(i));
    }
    int bad = firstMismatch(first.dims, t.dims, *dim);
    if (bad >= 0) {
      return ctx.inputError(
          i, ctx.label() + " expects input " + std::to_string(i) + " to match input 0 in dim " +
                 std::to_string(bad) + " (all dims but dim " + std::to_string(*dim) +
                 " must match), but " + ctx.describeInput(0) + " and " + ctx.describeInput(i));
    }
    out.dims[*dim] = out.dims[*dim] + t.dims[*dim];
    out.dtype = promoteTypes(out.dtype, t.dtype);
  }
  ctx.setOutput(0, out);
}

/// Sets one output per piece of dim `dim`, each `sizes[i]` long.
void setPieces(ShapeContext& ctx, size_t dim, const std::vector<int64_t>& sizes) {
  ctx.setOutputCount(sizes.size());
  for (size_t i = 0; i < sizes.size(); ++i) {
    TensorType piece = ctx.input(0);
    piece.dims[dim] = Dim::known(sizes[i]);
    ctx.setOutput(i, piece);
  }
}

/// torch.split's pieces of a dim of known `size` into chunks of `chunk` (the last smaller).
std::vector<int64_t> equalPieces(int64_t size, int64_t chunk) {
  if (size == 0) return {0};
  std::vector<int64_t> sizes;
  for (int64_t start = 0; start < size; start += chunk)
    sizes.push_back(std::min(chunk, size - start));
  return sizes;
}

/// Resolves `dim` and requires it to be known, since the number of outputs depends on it.
std::optional<int64_t> knownSplitDim(ShapeContext& ctx, size_t* dim) {
  if (!ctx.expectMinRank(0, 1)) return std::nullopt;
  auto d = resolveDimAttr(ctx, "dim", ctx.input(0).rank());
  if (!d) return std::nullopt;
  *dim = *d;
  const Dim& size = ctx.input(0).dims[*d];
  if (size.isKnown()) return size.value();
  ctx.inputError(0,
                 ctx.label() + " cannot split symbolic dim " + std::to_string(*d) +
                     " into a known number of outputs: " + ctx.describeInput(0),
                 "split a dim of known size");
  return std::nullopt;
}

void inferSplit(ShapeContext& ctx) {
  const Value& how = ctx.attr("split_size_or_sections");
  if (!how.isInt() && !how.isIntList()) {
    return ctx.attrError("split_size_or_sections",
                         ctx.label() +
                             " expects split_size_or_sections to be an int or a tuple "
                             "of ints, but got " +
                             how.toString());
  }
  size_t dim = 0;
  auto size = knownSplitDim(ctx, &dim);
  if (!size) return;
  if (how.isInt()) {
    int64_t chunk = how.asInt();
    if (chunk < 0 || (chunk == 0 && *size != 0)) {
      return ctx.attrError(
          "split_size_or_sections",
          ctx.label() + " needs a positive split size, but got " + std::to_string(chunk));
    }
    return setPieces(ctx, dim, equalPieces(*size, chunk));
  }
  std::vector<int64_t> sections = how.asInts();
  int64_t total = 0;
  for (int64_t s : sections) {
    if (s < 0) {
      return ctx.attrError(
          "split_size_or_sections",
          ctx.label() + " needs non-negative sections, but got " + intsString(sections));
    }
    total += s;
  }
  if (total != *size) {
    return ctx.attrError("split_size_or_sections",
                         ctx.label() + " sections " + intsString(sections) + " sum to " +
                             std::to_string(total) + ", but dim " + std::to_string(dim) +
                             " has size " + std::to_string(*size) + ": " + ctx.describeInput(0));
  }
  setPieces(ctx, dim, sections);
}

void inferChunk(ShapeContext& ctx) {
  int64_t chunks = ctx.getInt("chunks");
  if (chunks <= 0) {
    return ctx.attrError("chunks",
                         ctx.label() + " needs chunks > 0, but got " + std::to_string(chunks));
  }
  size_t dim = 0;
  auto size = knownSplitDim(ctx, &dim);
  if (!size) return;
  // torch.chunk splits into pieces of ceil(size / chunks), so it may return fewer than
  // `chunks` pieces (5 into 4 gives 2, 2, 1); an empty dim gives `chunks` empty pieces.
  if (*size == 0) return setPieces(ctx, dim, std::vector<int64_t>(chunks, 0));
  setPieces(ctx, dim, equalPieces(*size, (*size + chunks - 1) / chunks));
}

void inferReshape(ShapeContext& ctx) {
  std::vector<int64_t> shape = ctx.getInts("shape");
  const TensorType& in = ctx.input(0);
  Dim numel = in.numel();
  int inferAt = -1;
  int64_t product = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1 && inferAt >= 0)
      return ctx.attrError("shape", ctx.label() + " can infer only one dim, but shape " +
                                        intsString(shape) + " has two -1");
    if (shape[i] == -1) {
      inferAt = static_cast<int>(i);
      continue;
    }
    if (shape[i] < 0)
      return ctx.attrError("shape", ctx.label() + " got invalid size " + std::to_string(shape[i]) +
                                        " in shape " + intsString(shape));
    if (__builtin_mul_overflow(product, shape[i], &product))
      return ctx.attrError("shape", ctx.label() + " has shape " + intsString(shape) +
                                        ", whose size overflows a 64-bit integer");
  }
  auto mismatch = [&](const std::string& count) {
    ctx.attrError("shape", ctx.label() + " cannot reshape " + numel.toString() +
                               " elements into " + intsString(shape) + " (" + count +
                               " elements): " + ctx.describeInput(0));
  };
  std::vector<Dim> out;
  for (int64_t s : shape) out.push_back(Dim::known(s));
  if (inferAt < 0) {
    if (numel != Dim::known(product)) return mismatch(std::to_string(product));
    return ctx.setOutput(0, TensorType::of(in.dtype, out));
  }
  if (product == 0) {
    return ctx.attrError("shape", ctx.label() + " cannot infer the -1 in " + intsString(shape) +
                                      ": the other sizes multiply to 0");
  }
  if (numel.isKnown() && numel.value() % product != 0)
    return mismatch("a multiple of " + std::to_string(product));
  // A symbolic count gives an affine size when it divides ([N, 512, 1, 1] -> N) and an
  // opaque one otherwise; the runtime check is PyTorch's.
  out[inferAt] = numel.floorDiv(product);
  ctx.setOutput(0, TensorType::of(in.dtype, out));
}

void inferPermute(ShapeContext& ctx) {
  std::vector<int64_t> dims = ctx.getInts("dims");
  const TensorType& in = ctx.input(0);
  if (dims.size() != in.rank()) {
    return ctx.attrError("dims", ctx.label() + " expects " + std::to_string(in.rank()) +
                                     " dims in dims, but got " + intsString(dims) + " for " +
                                     ctx.describeInput(0));
  }
  std::vector<bool> used(in.rank(), false);
  TensorType out = in;
  for (size_t i = 0; i < dims.size(); ++i) {
    auto d = resolveDim(ctx, "dims", dims[i], 0, in.rank());
    if (!d) return;
    if (used[*d])
      return ctx.attrError(
          "dims", ctx.label() + " got dim " + std::to_string(*d) + " twice in " + intsString(dims));
    used[*d] = true;
    out.dims[i] = in.dims[*d];
  }
  ctx.setOutput(0, out);
}

void inferTranspose(ShapeContext& ctx) {
  TensorType out = ctx.input(0);
  auto a = resolveDimAttr(ctx, "dim0", out.rank());
  auto b = resolveDimAttr(ctx, "dim1", out.rank());
  if (!a || !b) return;
  if (out.rank() > 0) std::swap(out.dims[*a], out.dims[*b]);
  ctx.setOutput(0, out);
}

void inferSqueeze(ShapeContext& ctx) {
  const TensorType& in = ctx.input(0);
  TensorType out = TensorType::of(in.dtype, {});
  std::optional<size_t> only;
  if (!ctx.isNone("dim")) {
    only = resolveDimAttr(ctx, "dim", in.rank());
    if (!only) return;
  }
  // Symbolic dims are kept: they stand for batch or sequence sizes, not for 1.
  for (size_t i = 0; i < in.rank(); ++i) {
    bool isOne = in.dims[i] == Dim::known(1);
    if (!(isOne && (!only || *only == i))) out.dims.push_back(in.dims[i]);
  }
  ctx.setOutput(0, out);
}

void inferUnsqueeze(ShapeContext& ctx) {
  TensorType out = ctx.input(0);
  auto d = resolveDimAttr(ctx, "dim", out.rank() + 1);
  if (!d) return;
  out.dims.insert(out.dims.begin() + *d, Dim::known(1));
  ctx.setOutput(0, out);
}

/// One end of a slice as an offset from the start of a dim of size `size`: Python's rules
/// (negative counts from the end, clamped to the dim) on known sizes; on symbolic sizes
/// the dim is assumed long enough for the bound, as a slice like x[:, :3] implies.
Dim sliceBound(const Value& bound, const Dim& size, bool isStart) {
  if (bound.isNone()) return isStart ? Dim::known(0) : size;
  int64_t b = bound.asInt();
  if (!size.isKnown()) return b < 0 ? size + b : Dim::known(b);
  int64_t n = size.value();
  return Dim::known(b < 0 ? std::max<int64_t>(0, b + n) : std::min(b, n));
}

void inferSlice(ShapeContext& ctx) {
  int64_t step = ctx.getInt("step");
  if (step <= 0)
    return ctx.attrError("step", ctx.label() + " needs step > 0, but got " + std::to_string(step));
  if (!ctx.expectMinRank(0, 1)) return;
  TensorType out = ctx.input(0);
  auto dim = resolveDimAttr(ctx, "dim", out.rank());
  if (!dim) return;
  const Dim& size = out.dims[*dim];
  Dim start = sliceBound(ctx.attr("start"), size, true);
  Dim end = sliceBound(ctx.attr("end"), size, false);
  Dim length = end + start * -1;
  if (length.isKnown() && length.value() < 0) length = Dim::known(0);
  out.dims[*dim] = length.ceilDiv(step);
  ctx.setOutput(0, out);
}

void inferSelect(ShapeContext& ctx) {
  if (!ctx.expectMinRank(0, 1)) return;
  TensorType out = ctx.input(0);
  auto dim = resolveDimAttr(ctx, "dim", out.rank());
  if (!dim) return;
  int64_t index = ctx.getInt("index");
  const Dim& size = out.dims[*dim];
  if (size.isKnown() && (index < -size.value() || index >= size.value())) {
    return ctx.attrError("index", ctx.label() + " got index " + std::to_string(index) +
                                      ", out of range for dim " + std::to_string(*dim) +
                                      " of size " + size.toString() + ": " + ctx.describeInput(0));
  }
  out.dims.erase(out.dims.begin() + *dim);
  ctx.setOutput(0, out);
}

/// The dims a reduction removes: all of them for none or (), else each listed one once.
std::optional<std::vector<bool>> reducedDims(ShapeContext& ctx) {
  const TensorType& in = ctx.input(0);
  const Value& dim = ctx.attr("dim");
  if (!dim.isNone() && !dim.isInt() && !dim.isIntList()) {
    ctx.attrError("dim", ctx.label() + " expects dim to be an int or a tuple of ints, but got " +
                             dim.toString());
    return std::nullopt;
  }
  std::vector<int64_t> listed = dim.isNone()  ? std::vector<int64_t>{}
                                : dim.isInt() ? std::vector<int64_t>{dim.asInt()}
                                              : dim.asInts();
  std::vector<bool> reduced(in.rank(), listed.empty());
  for (int64_t d : listed) {
    auto i = resolveDim(ctx, "dim", d, 0, in.rank());
    if (!i) return std::nullopt;
    if (in.rank() > 0 && reduced[*i]) {
      ctx.attrError("dim",
                    ctx.label() + " got dim " + std::to_string(*i) + " twice in " + dim.toString());
      return std::nullopt;
    }
    if (in.rank() > 0) reduced[*i] = true;
  }
  return reduced;
}

std::vector<Dim> reducedShape(const std::vector<Dim>& dims, const std::vector<bool>& reduced,
                              bool keepdim) {
  std::vector<Dim> out;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (!reduced[i])
      out.push_back(dims[i]);
    else if (keepdim)
      out.push_back(Dim::known(1));
  }
  return out;
}

void inferMeanOrSum(ShapeContext& ctx, bool isMean) {
  DType dtype = ctx.input(0).dtype;
  if (isMean && !isFloatingPoint(dtype)) {
    return ctx.inputError(0, ctx.label() + " expects a floating-point input, but " +
                                 ctx.describeInput(0) + " of type " + dtypeName(dtype));
  }
  auto reduced = reducedDims(ctx);
  if (!reduced) return;
  // torch.sum accumulates integers and bools in int64.
  if (!isFloatingPoint(dtype)) dtype = DType::Int64;
  ctx.setOutput(
      0, TensorType::of(dtype, reducedShape(ctx.input(0).dims, *reduced, ctx.getBool("keepdim"))));
}

void inferMax(ShapeContext& ctx) {
  const TensorType& in = ctx.input(0);
  if (ctx.isNone("dim")) {
    if (ctx.getBool("keepdim"))
      return ctx.attrError("keepdim", ctx.label() + " takes keepdim only together with dim");
    if (in.numel() == Dim::known(0))
      return ctx.inputError(
          0, ctx.label() + " cannot reduce an empty tensor: " + ctx.describeInput(0));
    // torch.max(input) returns only the maximum, so there is no `indices` output.
    ctx.setOutputCount(1);
    return ctx.setOutput(0, TensorType::of(in.dtype, {}));
  }
  auto dim = resolveDimAttr(ctx, "dim", in.rank());
  if (!dim) return;
  if (in.rank() > 0 && in.dims[*dim] == Dim::known(0)) {
    return ctx.inputError(0, ctx.label() + " cannot reduce dim " + std::to_string(*dim) +
                                 " of size 0: " + ctx.describeInput(0));
  }
  std::vector<bool> reduced(in.rank(), false);
  if (in.rank() > 0) reduced[*dim] = true;
  std::vector<Dim> dims = reducedShape(in.dims, reduced, ctx.getBool("keepdim"));
  ctx.setOutput(0, TensorType::of(in.dtype, dims));
  ctx.setOutput(1, TensorType::of(DType::Int64, dims));
}

OpDef reduction(const std::string& name, const std::string& doc, AttrType dimType) {
  return tensorOp(name, doc)
      .optional("dim", dimType, Value::none(), "dims to reduce; none for all")
      .optional("keepdim", AttrType::Bool, Value::ofBool(false), "keep reduced dims as size 1")
      .input("input");
}

void addIndexingOps(OpCatalogue& catalogue) {
  catalogue.add(tensorOp("Slice", "input[..., start:end:step] along one dim (Python slicing)")
                    .required("dim", AttrType::Int, "the dim to slice")
                    .optional("start", AttrType::Int, Value::none(), "first index; none for 0")
                    .optional("end", AttrType::Int, Value::none(), "end index; none for the size")
                    .optional("step", AttrType::Int, Value::ofInt(1), "stride, > 0")
                    .input("input")
                    .output("output")
                    .shape(inferSlice));
  catalogue.add(tensorOp("Select", "input[..., index] along one dim, removing it (torch.select)")
                    .required("dim", AttrType::Int, "the dim to index")
                    .required("index", AttrType::Int, "position; negative counts from the end")
                    .input("input")
                    .output("output")
                    .shape(inferSelect));
}

void addReductionOps(OpCatalogue& catalogue) {
  catalogue.add(reduction("Mean", "mean over dims (torch.mean)", AttrType::Any)
                    .output("output")
                    .shape([](ShapeContext& ctx) { inferMeanOrSum(ctx, true); }));
  catalogue.add(reduction("Sum", "sum over dims (torch.sum)", AttrType::Any)
                    .output("output")
                    .shape([](ShapeContext& ctx) { inferMeanOrSum(ctx, false); }));
  // Without dim, torch.max returns a single tensor: the op then has only `values`.
  catalogue.add(reduction("Max", "maximum and its position along a dim, or overall (torch.max)",
                          AttrType::Int)
                    .output("values")
                    .output("indices")
                    .shape(inferMax));
}
}  // namespace

void registerTensorOps(OpCatalogue& catalogue) {
  catalogue.add(tensorOp("Concat", "joins tensors along an existing dim (torch.cat)")
                    .optional("dim", AttrType::Int, Value::ofInt(0), "the dim to join along")
                    .variadicInput("tensors")
                    .output("output")
                    .shape(inferConcat));
  catalogue.add(tensorOp("Split", "splits into pieces of a size or given sections (torch.split)")
                    .required("split_size_or_sections", AttrType::Any,
                              "size of each piece, or a tuple of piece sizes")
                    .optional("dim", AttrType::Int, Value::ofInt(0), "the dim to split")
                    .input("tensor")
                    .variadicOutputs()
                    .shape(inferSplit));
  catalogue.add(tensorOp("Chunk", "splits into at most `chunks` equal pieces (torch.chunk)")
                    .required("chunks", AttrType::Int, "number of pieces")
                    .optional("dim", AttrType::Int, Value::ofInt(0), "the dim to split")
                    .input("input")
                    .variadicOutputs()
                    .shape(inferChunk));
  catalogue.add(
      tensorOp("Reshape", "same elements in a new shape; one size may be -1 (torch.reshape)")
          .required("shape", AttrType::Ints, "the new shape")
          .input("input")
          .output("output")
          .shape(inferReshape));
  catalogue.add(tensorOp("Permute", "reorders dims (torch.permute)")
                    .required("dims", AttrType::Ints, "the new order of the dims")
                    .input("input")
                    .output("output")
                    .shape(inferPermute));
  catalogue.add(tensorOp("Transpose", "swaps two dims (torch.transpose)")
                    .required("dim0", AttrType::Int)
                    .required("dim1", AttrType::Int)
                    .input("input")
                    .output("output")
                    .shape(inferTranspose));
  catalogue.add(tensorOp("Squeeze", "removes dims of size 1 (torch.squeeze)")
                    .optional("dim", AttrType::Int, Value::none(), "only this dim; none for all")
                    .input("input")
                    .output("output")
                    .shape(inferSqueeze));
  catalogue.add(tensorOp("Unsqueeze", "inserts a dim of size 1 (torch.unsqueeze)")
                    .required("dim", AttrType::Int, "position of the new dim")
                    .input("input")
                    .output("output")
                    .shape(inferUnsqueeze));
  addIndexingOps(catalogue);
  addReductionOps(catalogue);
}

}  // namespace sketch
