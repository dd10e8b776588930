// Containers and table modules: Sequential, ConcatTable, ParallelTable, Concat,
// DepthConcat, JoinTable, CAddTable, CMulTable, Identity. Children are numbered like
// PyTorch's Sequential: Lua index - 1.
#include "registry.h"

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
    return ctx.fail(m, path, "expects a table of " + std::to_string(items.size()) + " tensors");
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

std::optional<Flow> importJoinTable(ImportContext& ctx, const Object& m, const std::string& path,
                                    const Flow& input) {
  if (!input.table) return ctx.fail(m, path, "expects a table of tensors");
  return concatenate(ctx, m, path, input, torchDim(m));
}

/// CAddTable / CMulTable: a chain of binary ops over the table's tensors.
std::optional<Flow> reduceTable(ImportContext& ctx, const Object& m, const std::string& path,
                                const Flow& input, const char* op) {
  if (!input.table || input.ports.size() < 2)
    return ctx.fail(m, path, "expects a table of at least two tensors");
  PortRef acc = input.ports[0];
  for (size_t i = 1; i < input.ports.size(); ++i) {
    std::string name = i + 1 == input.ports.size() ? path : path + "." + std::to_string(i);
    std::optional<PortRef> out = ctx.addNode(op, name, {}, {acc, input.ports[i]});
    if (!out) return std::nullopt;
    acc = *out;
  }
  return Flow::tensor(acc);
}

std::optional<Flow> importCAddTable(ImportContext& ctx, const Object& m, const std::string& path,
                                    const Flow& input) {
  return reduceTable(ctx, m, path, input, "Add");
}
std::optional<Flow> importCMulTable(ImportContext& ctx, const Object& m, const std::string& path,
                                    const Flow& input) {
  return reduceTable(ctx, m, path, input, "Mul");
}

/// Kept as a node (not passed through) so that exporting again writes the same modules.
std::optional<Flow> importIdentity(ImportContext& ctx, const Object& m, const std::string& path,
                                   const Flow& input) {
  std::optional<PortRef> in = singleTensor(ctx, m, path, input);
  if (!in) return std::nullopt;
  std::optional<PortRef> out = ctx.addNode("Identity", path, {}, {*in});
  if (!out) return std::nullopt;
  return Flow::tensor(*out);
}

}  // namespace

void registerContainerImporters(ConverterRegistry& r) {
  r.add("nn.Sequential", importSequential);
  r.add("nn.ConcatTable", fanOut);
  r.add("nn.ParallelTable", importParallelTable);
  r.add("nn.Concat", importConcat);
  r.add("nn.DepthConcat", importConcat);  // equal spatial sizes only (checked by shapes)
  r.add("nn.JoinTable", importJoinTable);
  r.add("nn.CAddTable", importCAddTable);
  r.add("nn.CMulTable", importCMulTable);
  r.add("nn.Identity", importIdentity);
}

}  // namespace sketch::t7
