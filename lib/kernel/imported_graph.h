// Helpers for importers that build a Graph from a foreign file: adding catalogue nodes
// with their arguments bound as a call in the language would bind them, and reading the
// input type a user gives for formats that do not record one.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "diag/diagnostic.h"
#include "graph/graph.h"
#include "ops/bind_arguments.h"

namespace sketch {

/// Adds a node of catalogue op `opName` at `path` (its name is the last part), fed by
/// `inputs` in port order (an absent one leaves an optional port unlinked; more inputs
/// than ports need a variadic op); Input nodes become graph inputs. Returns its first
/// output, or nothing after reporting in `file` why the arguments do not bind.
std::optional<PortRef> addImportedNode(Graph& graph, const std::string& opName,
                                       const std::string& path,
                                       const std::vector<CallArgument>& arguments,
                                       const std::vector<std::optional<PortRef>>& inputs,
                                       const std::string& file, DiagnosticEngine& diags);

/// "float32[N, 3, 32, 32]" as the Input op's dtype and shape attributes; nothing when
/// malformed.
std::optional<std::pair<std::string, Value>> parseInputType(const std::string& text);

/// A type as the Input op's dtype and shape attributes (symbolic dims by name).
std::pair<std::string, Value> inputAttrs(const TensorType& type);

/// The graph input that `firstBlock`, the block a model's input feeds, implies
/// (OpDef::impliedInputFor), as Input attributes; nothing when its op does not tell.
std::optional<std::pair<std::string, Value>> impliedInputAttrs(const Node& firstBlock);

}  // namespace sketch
