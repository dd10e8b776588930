// OpMapping: a kernel's two-way table between catalogue ops and one framework's ops.
//
// Each kernel keeps one table. A row joins a catalogue op, or a family of ops that differ
// only in rank (lib/ops declares families: "Conv" is Conv1d, Conv2d and Conv3d), with the
// framework's op or class, the attributes the two sides spell or encode differently, and
// the kernel's hooks that write and read it. Export finds the row by catalogue op, import
// by the framework's name, and both read the same attribute names, defaults and value
// conversions, so that the two directions cannot drift apart.
//
// This header holds what every kernel shares: the row's common fields and builders, the
// table with its lookups and consistency checks (one writer per op, one reader per
// framework name, only catalogue ops), what the kernel supports, and the op list that
// `sketchc kernels` prints. A kernel's row type derives from OpMappingRow and adds its
// hooks; it depends on lib/ops and lib/graph only.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "graph/graph.h"
#include "ops/bind_arguments.h"

namespace sketch {

/// One attribute that the two sides name or encode differently.
struct AttrMapping {
  std::string ours;    // the catalogue attribute ("negative_slope")
  std::string theirs;  // the framework's attribute or field ("alpha", "negval")
  Value theirDefault;  // what the framework means when it leaves the attribute out
  /// Value conversions for encodings that differ (1-based indices); null: the same value.
  Value (*toTheirs)(const Value&) = nullptr;
  Value (*toOurs)(const Value&) = nullptr;
};

/// Whether a kernel can express a node's attribute values (beyond its op having a row).
using SupportFn = bool (*)(const Node& node);

/// The fields every kernel's row has, with builders; `Row` is the kernel's row type.
template <class Row>
struct OpMappingRow {
  std::string op;       // catalogue op, or a family of them
  std::string foreign;  // the framework's op or class ("LeakyRelu", "nn.LeakyReLU")
  std::vector<AttrMapping> attrs;
  SupportFn supports = nullptr;  // null: every attribute value is expressible
  std::string limit;             // what `supports` admits, and why (the report's help)

  OpMappingRow(std::string op, std::string foreign)
      : op(std::move(op)), foreign(std::move(foreign)) {}

  /// Attribute `ours` is `theirs` in the framework, which means `theirDefault` when absent.
  Row& attr(std::string ours, std::string theirs, Value theirDefault = Value(),
            Value (*toTheirs)(const Value&) = nullptr, Value (*toOurs)(const Value&) = nullptr) {
    attrs.push_back({std::move(ours), std::move(theirs), std::move(theirDefault), toTheirs, toOurs});
    return static_cast<Row&>(*this);
  }
  /// The row writes only nodes that `fn` admits; `why` says which, as the help of the
  /// report on a refused block ("on a 1-D or 2-D input: nn.Linear takes no other rank").
  Row& only(SupportFn fn, std::string why) {
    supports = fn;
    limit = std::move(why);
    return static_cast<Row&>(*this);
  }
  const AttrMapping* findAttr(const std::string& ours) const {
    for (const AttrMapping& a : attrs)
      if (a.ours == ours) return &a;
    return nullptr;
  }
};

/// The framework's value of a mapped attribute for a node's attributes.
Value theirValue(const AttrMapping& mapping, const Attrs& attrs);
/// Our call argument for a mapped attribute from the framework's value (nothing: absent,
/// which means the mapping's default; a none default leaves the op's own default).
std::optional<CallArgument> ourArgument(const AttrMapping& mapping,
                                        const std::optional<Value>& theirs);
/// Every mapped attribute as our call arguments, read through `read` (framework name ->
/// value, nothing when absent).
std::vector<CallArgument> ourArguments(
    const std::vector<AttrMapping>& attrs,
    const std::function<std::optional<Value>(const std::string&)>& read);

/// The catalogue ops a row names: the op itself, or every op of the family in rank order.
/// Aborts when the name is neither (a table bug).
std::vector<std::string> opsNamed(const std::string& opOrFamily, const std::string& kernel);
/// Graph inputs are written by every kernel itself.
bool isGraphInput(const Node& node);
/// Aborts with a message naming the table and the entry: tables are code, and a broken
/// one must not ship.
[[noreturn]] void tableError(const std::string& kernel, const std::string& message);

/// A kernel's rows, indexed. `Row` derives from OpMappingRow and has `bool exports() const`
/// (it exports its ops) and `std::vector<std::string> readKeys() const` (the framework
/// names it imports; empty when it only writes).
template <class Row>
class OpMappingTable {
 public:
  OpMappingTable(std::string kernel, std::vector<Row> rows)
      : kernel_(std::move(kernel)), rows_(std::move(rows)) {
    for (const Row& row : rows_) {
      std::vector<std::string> keys = row.readKeys();
      if (!row.exports() && keys.empty())
        tableError(kernel_, "row '" + row.op + "' neither writes nor reads");
      for (const std::string& op : opsNamed(row.op, kernel_))
        if (row.exports() && !writers_.emplace(op, &row).second)
          tableError(kernel_, "op '" + op + "' has two rows that write it");
      for (const std::string& key : keys)
        if (!readers_.emplace(key, &row).second)
          tableError(kernel_, "'" + key + "' has two rows that read it");
    }
  }

  const std::string& kernel() const { return kernel_; }
  const std::vector<Row>& rows() const { return rows_; }
  /// The row that writes catalogue op `op`, or null.
  const Row* writer(const std::string& op) const {
    auto it = writers_.find(op);
    return it == writers_.end() ? nullptr : it->second;
  }
  /// The row that reads the framework's `key` (as its readKeys() spell it), or null.
  const Row* reader(const std::string& key) const {
    auto it = readers_.find(key);
    return it == readers_.end() ? nullptr : it->second;
  }
  /// Whether the kernel can write `node`: graph inputs always, else its op's row and the
  /// row's attribute check.
  bool supports(const Node& node) const {
    if (isGraphInput(node)) return true;
    const Row* row = node.op ? writer(node.op->name()) : nullptr;
    return row && (!row->supports || row->supports(node));
  }
  /// Why the kernel cannot write `node`: its row's limit; "" when it can, or when its op
  /// has no row (which says enough).
  std::string limitation(const Node& node) const {
    if (supports(node)) return "";
    const Row* row = node.op ? writer(node.op->name()) : nullptr;
    if (!row) return "";
    return "the " + kernel_ + " kernel writes " + node.op->name() + " only " + row->limit;
  }
  /// The catalogue ops the table writes, in catalogue order (`sketchc kernels`).
  std::vector<std::string> writtenOps() const;
  /// The catalogue ops the table reads back from some framework name, in catalogue order.
  std::vector<std::string> readOps() const;

 private:
  std::string kernel_;
  std::vector<Row> rows_;
  std::map<std::string, const Row*> writers_;
  std::map<std::string, const Row*> readers_;
};

/// The catalogue's ops (graph inputs aside) that `inTable` accepts, in catalogue order.
std::vector<std::string> catalogueOpsWhere(const std::function<bool(const std::string&)>& inTable);

template <class Row>
std::vector<std::string> OpMappingTable<Row>::writtenOps() const {
  return catalogueOpsWhere([this](const std::string& op) { return writer(op) != nullptr; });
}

template <class Row>
std::vector<std::string> OpMappingTable<Row>::readOps() const {
  std::map<std::string, bool> read;
  for (const Row& row : rows_)
    if (!row.readKeys().empty())
      for (const std::string& op : opsNamed(row.op, kernel_)) read[op] = true;
  return catalogueOpsWhere([&](const std::string& op) { return read.count(op) != 0; });
}

}  // namespace sketch
