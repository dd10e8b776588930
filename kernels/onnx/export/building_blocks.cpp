#include "building_blocks.h"

#include <algorithm>

namespace sketch {

int64_t positiveAxis(int64_t dim, size_t rank) {
  return dim < 0 ? dim + static_cast<int64_t>(rank) : dim;
}

size_t windowRank(EmitContext& ctx) {
  size_t rank = static_cast<size_t>(ctx.node().op->findAttr("kernel_size")->rank);
  if (ctx.inputType(0).rank() == rank + 1) ctx.addBatchDim();
  return rank;
}

std::string reduce(EmitContext& ctx, const std::string& onnxOp, const std::string& x,
                   const std::vector<int64_t>& axes, bool keepdims) {
  std::string out = ctx.fresh(onnxOp);
  if (onnxOp == "ReduceSum") {
    setInt(ctx.add(onnxOp, {x, ctx.ints(axes)}, {out}), "keepdims", keepdims);
    return out;
  }
  onnx::NodeProto& n = ctx.add(onnxOp, {x}, {out});
  setInts(n, "axes", axes);
  setInt(n, "keepdims", keepdims);
  return out;
}

std::string reshapeTo(EmitContext& ctx, const std::string& x, const TensorType& from,
                      const TensorType& to) {
  // Each target dim is a known size, a dim of x (copied with 0 in place, else gathered from
  // Shape(x)), or the one left over (-1).
  std::vector<int64_t> literal;
  std::vector<std::pair<size_t, int64_t>> gathered;  // (target index, source dim)
  for (size_t i = 0; i < to.rank(); ++i) {
    const Dim& d = to.dims[i];
    if (d.isKnown()) {
      literal.push_back(d.value());
      continue;
    }
    if (i < from.rank() && from.dims[i] == d) {
      literal.push_back(0);
      continue;
    }
    literal.push_back(-1);
    for (size_t j = 0; j < from.rank(); ++j) {
      if (from.dims[j] == d) {
        gathered.push_back({i, static_cast<int64_t>(j)});
        break;
      }
    }
  }
  std::string shape;
  if (gathered.empty()) {
    shape = ctx.ints(literal);
  } else {
    std::string runtime = ctx.op("Shape", {x});
    std::vector<std::string> pieces;
    for (size_t i = 0; i < literal.size(); ++i) {
      auto g = std::find_if(gathered.begin(), gathered.end(),
                            [&](const auto& p) { return p.first == i; });
      if (g == gathered.end()) {
        pieces.push_back(ctx.ints({literal[i]}));
        continue;
      }
      onnx::NodeProto& n = ctx.add("Gather", {runtime, ctx.ints({g->second})}, {ctx.fresh("dim")});
      pieces.push_back(n.output(0));
    }
    std::string out = ctx.fresh("shape");
    setInt(ctx.add("Concat", pieces, {out}), "axis", 0);
    shape = out;
  }
  return ctx.op("Reshape", {x, shape});
}

std::string linear(EmitContext& ctx, const std::string& x, const std::string& weight,
                   const std::string& bias) {
  std::string wt = ctx.fresh("weight_t");
  setInts(ctx.add("Transpose", {weight}, {wt}), "perm", {1, 0});
  std::string y = ctx.op("MatMul", {x, wt});
  return bias.empty() ? y : ctx.op("Add", {y, bias});
}

std::string layerNorm(EmitContext& ctx, const std::string& x, int64_t axes, double eps,
                      const std::string& weight, const std::string& bias) {
  if (ctx.opset() >= 17 && !weight.empty()) {
    std::string out = ctx.fresh("LayerNormalization");
    std::vector<std::string> inputs{x, weight};
    if (!bias.empty()) inputs.push_back(bias);
    onnx::NodeProto& n = ctx.add("LayerNormalization", inputs, {out});
    setInt(n, "axis", -axes);
    setFloat(n, "epsilon", eps);
    return out;
  }
  std::vector<int64_t> dims;
  for (int64_t a = -axes; a < 0; ++a) dims.push_back(a);
  std::string centred = ctx.op("Sub", {x, reduce(ctx, "ReduceMean", x, dims, true)});
  std::string variance = reduce(ctx, "ReduceMean", ctx.op("Mul", {centred, centred}), dims, true);
  std::string deviation = ctx.op("Sqrt", {ctx.op("Add", {variance, ctx.scalar(eps)})});
  std::string y = ctx.op("Div", {centred, deviation});
  if (!weight.empty()) y = ctx.op("Mul", {y, weight});
  if (!bias.empty()) y = ctx.op("Add", {y, bias});
  return y;
}

}  // namespace sketch
