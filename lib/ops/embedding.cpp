// Embedding: a lookup table from integer indices to vectors.
#include "ops/catalogue.h"
#include "ops/families.h"
#include "ops/op_helpers.h"

namespace sketch {

namespace {

void inferEmbedding(ShapeContext& ctx) {
  const TensorType& in = ctx.input(0);
  // PyTorch's embedding takes Long or Int indices only.
  if (in.dtype != DType::Int64 && in.dtype != DType::Int32) {
    ctx.inputError(0,
                   ctx.label() + " expects int64 or int32 indices, but " + ctx.describeInput(0) +
                       " of " + dtypeName(in.dtype),
                   "give the input an integer dtype such as int64");
    return;
  }
  int64_t count = ctx.getInt("num_embeddings");
  bool sizesOk = expectAtLeast(ctx, "num_embeddings", {count}, 0, "negative");
  if (!expectAtLeast(ctx, "embedding_dim", {ctx.getInt("embedding_dim")}, 0, "negative") ||
      !sizesOk)
    return;
  if (!ctx.isNone("padding_idx")) {
    int64_t index = ctx.getInt("padding_idx");
    if (index < -count || index >= count) {
      ctx.attrError("padding_idx",
                    ctx.label() + " has padding_idx " + std::to_string(index) + ", outside the " +
                        std::to_string(count) + " embeddings",
                    "use a padding_idx in [" + std::to_string(-count) + ", " +
                        std::to_string(count - 1) + "]");
      return;
    }
  }
  std::vector<Dim> dims = in.dims;
  dims.push_back(Dim::known(ctx.getInt("embedding_dim")));
  ctx.setOutput(0, TensorType::of(DType::Float32, std::move(dims)));
}

std::vector<ParamSpec> embeddingParams(const Attrs& attrs) {
  return {parameter("weight",
                    {attrs.at("num_embeddings").asInt(), attrs.at("embedding_dim").asInt()},
                    Init::normal(1))};
}

}  // namespace

void registerEmbeddingOps(OpCatalogue& catalogue) {
  catalogue.add(
      OpDef("Embedding", "looks up a learned vector for each integer index")
          .category("embedding")
          .impliedInput([](const Attrs&) {
            return TensorType::of(DType::Int64, {Dim::symbol("N"), Dim::symbol("L")});
          })
          .required("num_embeddings", AttrType::Int, "size of the table")
          .required("embedding_dim", AttrType::Int, "size of each vector")
          .optional("padding_idx", AttrType::Int, Value(), "index whose vector gets no gradient")
          .optional("max_norm", AttrType::Float, Value(), "renormalise vectors above this norm")
          .optional("norm_type", AttrType::Float, Value::ofFloat(2.0), "p of the max_norm p-norm")
          .optional("scale_grad_by_freq", AttrType::Bool, Value::ofBool(false),
                    "scale gradients by inverse index frequency")
          .optional("sparse", AttrType::Bool, Value::ofBool(false), "sparse weight gradients")
          .input("input")
          .output("output")
          .shape(inferEmbedding)
          .params(embeddingParams)
          .macs(noMacs));
}

}  // namespace sketch
