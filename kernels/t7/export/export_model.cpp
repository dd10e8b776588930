// Export: arrange the graph as containers, build each module from the mapping table, and
// write the document (plus the Lua script on request) through AtomicFile.
#include <filesystem>

#include "arrange.h"
#include "core/atomic_file.h"
#include "lua_script.h"
#include "module_table.h"
#include "t7_kernel.h"
#include "t7_ops.h"
#include "t7_writer.h"

namespace sketch {

namespace {

using t7::Arrangement;
using t7::Object;

class ModuleTreeBuilder {
 public:
  ModuleTreeBuilder(t7::Document& doc, DType dtype, const Graph& graph, const WeightStore& weights)
      : doc_(doc), dtype_(dtype), graph_(graph), weights_(weights) {}

  Object* sequential(const Arrangement& series) {
    Object* seq = container("nn.Sequential");
    for (const Arrangement& item : series.items) {
      if (item.kind == Arrangement::Kind::Module) {
        add(seq, module(item.node));
        continue;
      }
      // A parallel section: ConcatTable of the branches, then the merge's table module.
      Object* table = container("nn.ConcatTable", t7::TableField::Output);
      for (const Arrangement& branch : item.items) add(table, branchModule(branch));
      add(seq, table);
      add(seq, module(item.node));
    }
    return seq;
  }

 private:
  t7::ModuleContext context(const Node& node) const {
    return {doc_, dtype_, graph_, weights_, node};
  }

  Object* module(NodeId id) {
    const Node& node = graph_.node(id);
    const t7::T7Op& row = *t7::t7Ops().writer(node.op->name());
    Object* m = row.build(context(node), row);
    doc_.set(m, t7::kNameField, doc_.string(node.path));
    return m;
  }

  /// One module for a branch: Identity when empty, the module itself when single.
  Object* branchModule(const Arrangement& branch) {
    if (branch.items.empty()) return t7::newModule(doc_, dtype_, "nn.Identity");
    if (branch.items.size() == 1 && branch.items[0].kind == Arrangement::Kind::Module)
      return module(branch.items[0].node);
    return sequential(branch);
  }

  Object* container(const char* className, t7::TableField tables = t7::TableField::None) {
    Object* c = t7::newModule(doc_, dtype_, className, 1, tables);
    doc_.set(c, "modules", doc_.table());
    return c;
  }

  void add(Object* container, Object* child) {
    for (t7::TableEntry& e : container->fields->entries)
      if (e.key->string == "modules") doc_.set(e.value, double(e.value->entries.size() + 1), child);
  }

  t7::Document& doc_;
  DType dtype_;
  const Graph& graph_;
  const WeightStore& weights_;
};

bool writeFile(const std::string& path, const std::vector<std::string>& protectedPaths,
               const std::function<bool(AtomicFile&)>& fill, DiagnosticEngine& diags) {
  std::string error;
  std::unique_ptr<AtomicFile> file = AtomicFile::open(path, &error, protectedPaths);
  if (file) {
    bool filled = fill(*file);  // fails only when a write does, and the file knows why
    if (filled && file->commit(&error)) return true;
    if (!filled) error = file->error();
  }
  diags.reportFile(diag::FileWrite, path, error);
  return false;
}

/// Every parameter the graph declares is in `weights` (the driver initialises missing
/// ones; a caller that did not is told which); caveats of the chosen classes are warned.
bool checkNodes(const Graph& graph, const WeightStore& weights, const std::string& out,
                DiagnosticEngine& diags) {
  bool complete = true;
  for (const Node& node : graph.nodes) {
    for (const ParamSpec& p : node.params) {
      if (weights.contains(node.path + "." + p.name)) continue;
      diags.reportFile(diag::ModelWeight, out, "no weights for '" + node.path + "." + p.name + "'");
      complete = false;
    }
    const t7::T7Op* row = t7::t7Ops().writer(node.op->name());
    if (row && row->caveat)
      diags.report(diag::KernelApproximation, node.span,
                   node.op->name() + " '" + node.path + "': " + row->caveat);
  }
  return complete;
}

}  // namespace

bool exportT7(const Graph& graph, const WeightStore& weights, const ExportOptions& options,
              DiagnosticEngine& diags) {
  if (!checkNodes(graph, weights, options.outputPath, diags)) return false;
  std::string error;
  auto isMerge = [](const Node& node) {
    const t7::T7Op* row = t7::t7Ops().writer(node.op->name());
    return row && row->merge;
  };
  std::optional<Arrangement> arrangement = t7::arrangeGraph(graph, isMerge, &error);
  if (!arrangement) {
    diags.reportFile(diag::UnsupportedStructure, options.outputPath,
                     "cannot arrange the graph as Torch7 containers: " + error);
    return false;
  }
  DType dtype = *parseDType(options.value(dtypeOption()).asString());
  bool emitLua = options.value(emitLuaOption()).asBool();
  t7::Document doc;
  doc.root = ModuleTreeBuilder(doc, dtype, graph, weights).sequential(*arrangement);
  // The arrangement has one input and one output (arrangeGraph checked).
  const Node& input = graph.node(graph.inputs.at(0));
  doc.set(doc.root, t7::kInputTypeField, doc.string(input.outputs[0].toString()));
  doc.set(doc.root, t7::kInputNameField, doc.string(input.name));
  doc.set(doc.root, t7::kOutputNameField, doc.string(graph.outputs.at(0).name));
  t7::Format format =
      options.value(asciiOption()).asBool() ? t7::Format::Ascii : t7::Format::Binary;
  std::string lua;
  std::string luaPath =
      std::filesystem::path(options.outputPath).replace_extension(".lua").string();
  if (emitLua) {
    std::string t7Name = std::filesystem::path(options.outputPath).filename().string();
    lua = t7::luaScript(*doc.root, t7Name, dtype);
  }
  bool written = writeFile(
      options.outputPath, options.protectedPaths,
      [&](AtomicFile& file) {
        return t7::writeT7(
            doc, format, [&](std::string_view bytes) { return file.write(bytes); },
            [&](uint64_t count) { return file.writeZeros(count); });
      },
      diags);
  if (!written || !emitLua) return written;
  return writeFile(
      luaPath, options.protectedPaths, [&](AtomicFile& file) { return file.write(lua); }, diags);
}

}  // namespace sketch
