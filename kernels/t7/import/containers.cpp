// Containers (Sequential, ConcatTable, ParallelTable, Concat, DepthConcat), which are
// structure, and the table modules that merge what they fan out (JoinTable, CAddTable,
// CMulTable), which read as ops. Children are numbered like PyTorch's Sequential: Lua
// index - 1.
#include "converters.h"
#include "containers_registry.h"

namespace sketch::t7 {

namespace {

std::vector<const Object*> children(const Object& module) {
  const Object* modules = module.get("modules");
  return modules ? modules->array() : std::vector<const Object*>{};
}

std::optional<Flow> importSequential(ImportContext& ctx, const Object& m, const std::string& path,
                                     const Flow& input) {
  Flow flow = input;
  std::vector<const Object*> items = children(m);
  for (size_t i = 0; i < items.size(); ++i) {
    std::optional<Flow> next = ctx.convert(*items[i], childPath(path, i), flow);
    if (!next) return std::nullopt;
    flow = *next;
  }
  return flow;
}

/// Runs every child on the same input; their outputs form a table.
std::optional<Flow> fanOut(ImportContext& ctx, const Object& m, const std::string& path,
                           const Flow& input) {
  Flow table{{}, true};
  std::vector<const Object*> items = children(m);
  for (size_t i = 0; i < items.size(); ++i) {
    std::optional<Flow> out = ctx.convert(*items[i], childPath(path, i), input);
    if (!out) return std::nullopt;
    std::optional<PortRef> port = singleTensor(ctx, *items[i], childPath(path, i), *out);
    if (!port) return std::nullopt;
    table.ports.push_back(*port);
  }
  return table;
}

std::optional<Flow> importParallelTable(ImportContext& ctx, const Object& m,
                                        const std::string& path, const Flow& input) {
  std::vector<const Object*> items = children(m);
  if (!input.table || input.ports.size() != items.size())
    return ctx.fail(m, path, "expects a table of " + std::to_string(items.size()) + " tensors",
                    diag::ModelDamaged);
  Flow table{{}, true};
  for (size_t i = 0; i < items.size(); ++i) {
    std::optional<Flow> out =
        ctx.convert(*items[i], childPath(path, i), Flow::tensor(input.ports[i]));
    if (!out) return std::nullopt;
    table.ports.insert(table.ports.end(), out->ports.begin(), out->ports.end());
  }
  return table;
}

/// Lua's 1-based `dimension`; with nInputDims the dim counts from the end (it shifts by
/// one for batched input), which PyTorch's negative dims express directly.
int64_t torchDim(const Object& m) {
  int64_t dimension = ImportContext::integer(m, "dimension", 1);
  const Object* nInputDims = m.get("nInputDims");
  if (nInputDims && nInputDims->kind == Object::Kind::Number)
    return dimension - 1 - ImportContext::toInteger(nInputDims->number);
  return dimension - 1;
}

std::optional<Flow> concatenate(ImportContext& ctx, const Object& m, const std::string& path,
                                const Flow& table, int64_t dim) {
  std::optional<PortRef> out =
      ctx.addNode("Concat", path, {{"dim", Value::ofInt(dim)}}, table.ports);
  if (!out) return std::nullopt;
  return Flow::tensor(*out);
}

std::optional<Flow> importConcat(ImportContext& ctx, const Object& m, const std::string& path,
                                 const Flow& input) {
  std::optional<Flow> table = fanOut(ctx, m, path, input);
  if (!table) return std::nullopt;
  // The join is a node of its own next to the children `path.0`, `path.1`, ...
  return concatenate(ctx, m, path + ".join", *table, torchDim(m));
}

}  // namespace

std::optional<Flow> importJoinTable(ImportContext& ctx, const Object& m, const std::string& path,
                                    const Flow& input, const T7Op&) {
  if (!input.table) return ctx.fail(m, path, "expects a table of tensors", diag::ModelDamaged);
  return concatenate(ctx, m, path, input, torchDim(m));
}

std::optional<Flow> importTableReduction(ImportContext& ctx, const Object& m,
                                         const std::string& path, const Flow& input,
                                         const T7Op& row) {
  if (!input.table || input.ports.size() < 2)
    return ctx.fail(m, path, "expects a table of at least two tensors", diag::ModelDamaged);
  PortRef acc = input.ports[0];
  for (size_t i = 1; i < input.ports.size(); ++i) {
    std::string name = i + 1 == input.ports.size() ? path : path + "." + std::to_string(i);
    std::optional<PortRef> out = ctx.addNode(row.op, name, {}, {acc, input.ports[i]});
    if (!out) return std::nullopt;
    acc = *out;
  }
  return Flow::tensor(acc);
}


void registerContainerImporters(ConverterRegistry& r) {
  r.add("nn.Sequential", importSequential);
  r.add("nn.ConcatTable", fanOut);
  r.add("nn.ParallelTable", importParallelTable);
  r.add("nn.Concat", importConcat);
  r.add("nn.DepthConcat", importConcat);  // equal spatial sizes only (checked by shapes)
}

}  // namespace sketch::t7
