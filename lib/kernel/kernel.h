// Kernel: the paper's Binder. A kernel writes a checked graph with its weights as one
// framework's file, and (when it can) reads such a file back as a graph plus weights.
//
// Kernels see only the Graph and the WeightStore; never the language. Each keeps its own
// mapping table keyed by op name, and reports every op it cannot express before anything
// is written (reportUnsupported). Outputs go through AtomicFile: a failed export leaves
// no file behind.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "graph/graph.h"
#include "kernel/op_mapping.h"
#include "weights/tensor.h"

namespace sketch {

struct ExportOptions {
  std::string outputPath;
  std::vector<std::string> protectedPaths;  // the run's inputs: never overwritten
  int opset = 17;                           // onnx
  bool externalData = false;                // onnx: force external data
  bool stateDict = false;                   // torch: a plain state_dict
  bool emitText = false;                    // torch: readable text beside the file
  bool ascii = false;                       // t7: ascii format
  DType dtype = DType::Float32;             // t7: FloatTensor or DoubleTensor
  bool emitLua = false;                     // t7: Lua script that rebuilds the model
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

  /// Whether the kernel can express `node` (its op and attribute values).
  virtual bool supports(const Node& node) const = 0;
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
