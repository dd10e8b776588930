// Stage `raise_written`: a file that sketchc wrote records the blocks it was written from
// (metadata "sketchc.blocks": path, op, attributes, the values each block reads and writes).
// A block is raised back to its op only when writing that op again, with the file's own
// weights and input types, gives exactly the nodes the file holds for it (the same ops,
// attributes, value names and derived constants); otherwise its nodes are converted one by
// one like any file's. So a sketch comes back as it was written, decomposed ops included, and
// a file edited since is never read as something it no longer computes.
//
// Parameters the exporter writes in another layout are recovered by writing the block once
// with marker weights (each element holds its own index in its bytes): where a marker lands
// in a derived tensor, the file's tensor holds that element's value. The second writing,
// with the recovered weights, must then give the file's tensors exactly.
#pragma once

#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "import/converter.h"

namespace sketch::onnx_import {

/// A block of the file that re-emission confirmed.
struct WrittenBlock {
  std::string path;
  const OpDef* op = nullptr;
  Attrs attrs;
  std::vector<std::string> inputs;   // per input port; "" when unlinked
  std::vector<std::string> outputs;  // per output port
  /// Its parameters by name relative to the block: the file's initializers of those names,
  /// or recovered from the tensors the exporter derived from them (LSTM's reordered gates).
  std::vector<std::pair<std::string, Tensor>> params;
  std::set<const onnx::NodeProto*> nodes;  // the file's nodes it wrote
};

/// The confirmed blocks of a file, in file order, and the block each of their nodes is of.
struct WrittenBlocks {
  std::vector<WrittenBlock> blocks;
  std::unordered_map<const onnx::NodeProto*, size_t> byNode;
  /// The block that wrote `node`, or null.
  const WrittenBlock* of(const onnx::NodeProto* node) const;
};

/// The confirmed blocks of `graph` (none for files sketchc did not write).
WrittenBlocks findWrittenBlocks(const OnnxGraph& graph);

/// Adds `block` as one catalogue node with its weights, carrying its output values, and
/// marks its other nodes as converted. False after reporting why it cannot.
bool raiseWrittenBlock(ConvertContext& ctx, const WrittenBlock& block);

}  // namespace sketch::onnx_import
