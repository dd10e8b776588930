// What nn-class converters build with: graph nodes with bound attributes and links, weights
// in PyTorch layout, and the values flowing between modules (a tensor, or a Lua table of
// tensors after ConcatTable).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "kernel/kernel.h"
#include "ops/bind_arguments.h"
#include "t7_object.h"

namespace sketch::t7 {

/// The value a module receives or produces: one tensor, or a table of tensors.
struct Flow {
  std::vector<PortRef> ports;
  bool table = false;
  static Flow tensor(PortRef p) { return {{p}, false}; }
};

class ImportContext {
 public:
  /// `writtenBySketchc`: the file carries the fields sketchc adds (t7_ops.h), so its unnamed
  /// nn.Identity modules are the empty branches of residual sections, not blocks.
  ImportContext(ImportedModel& model, DiagnosticEngine& diags, std::string file,
                bool writtenBySketchc = false)
      : model_(model), diags_(diags), file_(std::move(file)), writtenBySketchc_(writtenBySketchc) {}

  /// Converts one module (through the converter registry); nothing when it failed
  /// (reported).
  std::optional<Flow> convert(const Object& module, const std::string& path, const Flow& input);

  /// Adds a node of catalogue op `op` fed by `inputs`; returns its first output.
  std::optional<PortRef> addNode(const std::string& op, const std::string& path,
                                 std::vector<CallArgument> arguments,
                                 const std::vector<PortRef>& inputs);
  /// Adds the weight `path.name` from a tensor field of `module` (any layout, any
  /// storage offset); `shape`, when given, reshapes it (same element count).
  bool addWeight(const Object& module, const char* field, const std::string& key,
                 std::optional<std::vector<int64_t>> shape = std::nullopt);
  void addWeight(const std::string& key, Tensor tensor);
  /// The tensor of a field (contiguous); nothing when absent or invalid (reported).
  std::optional<Tensor> tensorField(const Object& module, const char* field);

  /// The inferred type of a value, from the graph built so far.
  std::optional<TensorType> typeOf(PortRef port);

  /// A number field, or `fallback` when absent.
  static double number(const Object& module, const char* field, double fallback = 0);
  static bool flag(const Object& module, const char* field, bool fallback = false);
  /// A number as an integer. Values no int64 holds (a file may say 1e300, or NaN) become
  /// INT64_MIN, which every size and count check then refuses.
  static int64_t toInteger(double value);
  /// A number field as an integer (toInteger), or `fallback` when absent.
  static int64_t integer(const Object& module, const char* field, double fallback = 0) {
    return toInteger(number(module, field, fallback));
  }

  /// Reports a problem with `module` at `path` and returns nothing: by default an attribute
  /// value or form that no catalogue op has (`kind` says otherwise).
  std::nullopt_t fail(const Object& module, const std::string& path, const std::string& message,
                      diag::Kind kind = diag::UnsupportedAttribute);
  void warn(const std::string& message);

  const std::string& file() const { return file_; }

 private:
  static constexpr size_t kMaxModules = 100000;

  ImportedModel& model_;
  DiagnosticEngine& diags_;
  std::string file_;
  bool writtenBySketchc_;
  std::set<const Object*> active_;  // the modules being converted, outermost first
  std::set<std::string> usedNames_;  // layer names taken from the file
  size_t conversions_ = 0;
};

/// A value that is one tensor, or a failure reported for `module`.
std::optional<PortRef> singleTensor(ImportContext& ctx, const Object& module,
                                    const std::string& path, const Flow& flow);
std::string childPath(const std::string& path, size_t index);

}  // namespace sketch::t7
