// The YAML front end: the YAML form of a sketch to the same ast::Module as the text form.
//
// Strings that hold sketch syntax (calls, links, types, endpoints, values) are parsed with
// the text parser's productions, with spans mapped back into the YAML file's bytes, so both
// forms report the same messages at the right places. Key order is kept. The statements
// come out in the canonical section order: sketch, weights, inputs, definitions, blocks,
// links, outputs.
#pragma once

#include "diag/diagnostic.h"
#include "lang/ast.h"

namespace sketch {

/// Parses a whole registered YAML file; problems go to `diags`.
ast::Module parseYaml(FileId file, const SourceManager& sources, DiagnosticEngine& diags);

}  // namespace sketch
