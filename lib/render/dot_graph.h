// graphToDot: a checked graph as a Graphviz DOT drawing, the paper's picture of a network:
// one box per block (path, op with its key attributes, output shape), arrows labelled with
// the tensor shape they carry, and each group (a Sequential, a block instance) drawn as a
// cluster around its blocks. Groups nested deeper than a chosen depth are drawn as one box
// with their summed parameter count, so that a large network can be read at a glance.
//
// Writing DOT needs no library; layout and SVG/PNG are graphviz_render.h. Depends on the
// graph only.
#pragma once

#include <string>

#include "graph/graph.h"

namespace sketch {

struct DotOptions {
  /// Groups at a nesting depth greater than this (top-level groups have depth 1) are
  /// collapsed into one box; negative: nothing is collapsed.
  int depth = -1;
};

std::string graphToDot(const Graph& graph, const DotOptions& options = {});

/// "Conv2d(3, 64, 7, stride=2, padding=3, bias=false)": the op with the attributes that
/// make it what it is (required and inferred ones positionally while they lead the
/// argument list) and every other attribute that differs from its default.
std::string opLabel(const Node& node);

}  // namespace sketch
