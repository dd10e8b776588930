// The Lua plug-in host: finds *.lua files on the kernel search path, runs them once in one
// sandboxed state, and turns their sketch.kernel{...} and sketch.op{...} declarations into
// kernels (after the built-in ones) and catalogue extensions.
//
// Nothing is loaded up front: installLuaPlugins only registers deferred sources, so commands
// that never need a plug-in (check on built-in ops, compile to a built-in format) pay
// nothing but that. Problems met while loading (syntax errors, failing declarations) are
// kept until a command collects them with reportPluginProblems.
#pragma once

#include <string>
#include <vector>

#include "diag/diagnostic.h"
#include "kernel/kernel_registry.h"

namespace sketch {

/// Folders searched for *.lua, in order: $SKETCH_KERNEL_PATH (colon-separated), the user's
/// $XDG_DATA_HOME/sketch/kernels (~/.local/share/sketch/kernels), and share/sketch/kernels
/// beside the binary's folder (installed, or the build tree).
std::vector<std::string> luaKernelSearchPath();

/// Makes `registry` load the Lua kernels and the catalogue load custom ops on first need.
void installLuaPlugins(KernelRegistry& registry);

/// Moves the problems met so far by plug-in code into `diags`.
void reportPluginProblems(DiagnosticEngine& diags);

}  // namespace sketch
