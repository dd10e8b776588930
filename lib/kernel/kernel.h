// Kernel: the paper's Binder. A kernel writes a checked graph with its weights as one
// framework's file, and (when it can) reads such a file back as a graph plus weights.
//
// Kernels see only the Graph and the WeightStore; never the language. Each keeps its own
// mapping table keyed by op name, and reports every op it cannot express before anything
// is written (reportUnsupported). Outputs go through AtomicFile: a failed export leaves
// no file behind.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "graph/graph.h"
#include "kernel/op_mapping.h"
#include "weights/tensor.h"

namespace sketch {

/// An option a kernel takes on export, declared by the kernel itself: the command line
/// makes a flag of it (`--opset`), and --help, the completions and the man page list it.
struct KernelOption {
  enum class Kind { Flag, Int, Choice };
  std::string name;  // the flag without dashes ("external-data")
  Kind kind = Kind::Flag;
  std::string help;
  Value defaultValue;                // Flag: false; Int: a number; Choice: one of `choices`
  std::vector<std::string> choices;  // Choice
  int64_t min = 0, max = 0;          // Int: the range accepted

  static KernelOption flag(std::string name, std::string help);
  static KernelOption integer(std::string name, std::string help, int64_t defaultValue,
                              int64_t min, int64_t max);
  static KernelOption choice(std::string name, std::string help, std::string defaultValue,
                             std::vector<std::string> choices);
};

struct ExportOptions {
  std::string outputPath;
  std::vector<std::string> protectedPaths;  // the run's inputs: never overwritten
  /// The kernel options the run gives, by name; options left out have their defaults.
  std::map<std::string, Value> kernelOptions;

  /// The value of `option` in this run: given, or its default.
  const Value& value(const KernelOption& option) const;
};

struct ImportOptions {
  bool allowUnknown = false;  // keep unknown foreign ops as opaque blocks
  /// The graph input's type ("float32[N, 3, 32, 32]") for formats that do not record it
  /// (t7); empty: the importer derives what it can from the first layer.
  std::string inputShape;
  bool weightsOnly = false;   // only the weights are wanted (compile --weights): a file
                              // without an architecture, such as a state_dict, is fine
};

/// What an importer produces: nodes with catalogue ops, complete attributes, links, and
/// PyTorch-style paths (`layer1.0.conv1`); weights keyed by full parameter name.
struct ImportedModel {
  Graph graph;
  WeightStore weights;
};

class Kernel {
 public:
  virtual ~Kernel() = default;

  virtual std::string name() const = 0;
  /// File extensions this kernel writes and reads, with the dot (".onnx").
  virtual std::vector<std::string> extensions() const = 0;
  virtual std::string description() const = 0;
  /// Where the kernel comes from, for listings: "built-in" or the plug-in's file.
  virtual std::string origin() const { return "built-in"; }
  /// The ops the kernel lists as supported, for listings; empty when it decides per block
  /// only (supports()).
  virtual std::vector<std::string> opNames() const { return {}; }
  /// The ops its importer reads back, for listings (empty when it cannot import).
  virtual std::vector<std::string> readOpNames() const { return {}; }
  /// The options the kernel takes on export.
  virtual std::vector<KernelOption> options() const { return {}; }

  /// Whether the kernel can express `node` (its op and attribute values).
  virtual bool supports(const Node& node) const = 0;
  /// Why it cannot, when it knows (the help of the unsupported-op report); "" otherwise.
  virtual std::string limitation(const Node&) const { return ""; }
  virtual bool exportModel(const Graph& graph, const WeightStore& weights,
                           const ExportOptions& options, DiagnosticEngine& diags) const = 0;

  virtual bool canImport() const { return false; }
  virtual std::optional<ImportedModel> importModel(const std::string& path,
                                                   const ImportOptions& options,
                                                   DiagnosticEngine& diags) const;
};

/// Reports every node `kernel` cannot express, each at its block, and returns how many.
size_t reportUnsupported(const Kernel& kernel, const Graph& graph, DiagnosticEngine& diags);

}  // namespace sketch
