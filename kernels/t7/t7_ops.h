// The Torch7 kernel's op table (lib/kernel/op_mapping.h): one row per catalogue op with the
// nn class, the fields that hold its attributes, the builder that writes the module
// (export/module_table.cpp), the converter that reads it back (import/), the class's Lua
// constructor for --emit-lua, and how the class differs from the op. t7_ops.cpp is the
// one place where catalogue op names meet nn classes. Containers (Sequential, ConcatTable,
// ...) are structure, not ops: export arranges them (export/arrange.h) and import reads
// them (import/containers.cpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernel/op_mapping.h"

namespace sketch::t7 {

struct Object;
struct ModuleContext;
struct Flow;
class ImportContext;
struct T7Op;

/// Builds the nn module of one graph node.
using BuildFn = Object* (*)(const ModuleContext& context, const T7Op& row);
/// Converts one nn module fed by `input` into catalogue nodes at `path`; nothing after
/// reporting why it cannot.
using T7ImportFn = std::optional<Flow> (*)(ImportContext& ctx, const Object& module,
                                           const std::string& path, const Flow& input,
                                           const T7Op& row);

/// A constructor argument of an nn class for the Lua script: a scalar field, dim `size`
/// of a tensor field (1-based), or (kStorageElements) the elements of a LongStorage field.
struct LuaArg {
  const char* field;
  int size = 0;
};
constexpr int kStorageElements = -1;

struct T7Op : OpMappingRow<T7Op> {
  using OpMappingRow::OpMappingRow;

  BuildFn build = nullptr;      // null: the row only reads
  T7ImportFn import = nullptr;  // null: the row only writes
  bool merge = false;           // joins the outputs of a ConcatTable (CAddTable, JoinTable)
  /// How the nn class differs from the op, warned about when written or read; null when it
  /// does not.
  const char* caveat = nullptr;
  std::vector<LuaArg> constructor;  // the nn class's constructor arguments, in order
  /// Fields the class has and the op does not (ReLU's inplace), written with these values.
  std::vector<std::pair<std::string, Value>> fields;

  T7Op& exportWith(BuildFn fn) {
    build = fn;
    return *this;
  }
  T7Op& importWith(T7ImportFn fn) {
    import = fn;
    return *this;
  }
  T7Op& merging() {
    merge = true;
    return *this;
  }
  T7Op& differs(const char* why) {
    caveat = why;
    return *this;
  }
  T7Op& field(std::string name, Value value) {
    fields.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  T7Op& lua(std::vector<LuaArg> args) {
    constructor = std::move(args);
    return *this;
  }
  bool exports() const { return build != nullptr; }
  std::vector<std::string> readKeys() const {
    return import ? std::vector<std::string>{foreign} : std::vector<std::string>{};
  }
};

/// The table, built and checked on first use.
const OpMappingTable<T7Op>& t7Ops();

/// Fields sketchc adds to the modules it writes, which Lua Torch ignores and the importer
/// reads back: each layer's block path, and the root's input type and input and output
/// names, none of which the format records.
constexpr char kNameField[] = "name";
constexpr char kInputTypeField[] = "input_type";
constexpr char kInputNameField[] = "input_name";
constexpr char kOutputNameField[] = "output_name";

/// The Lua constructor arguments of nn class `className`, or null when it takes none.
const std::vector<LuaArg>* luaConstructor(const std::string& className);

}  // namespace sketch::t7
