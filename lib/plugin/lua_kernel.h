// LuaKernel: the Kernel interface implemented by a Lua file's sketch.kernel{...} table, so
// that Lua kernels are chosen by name or extension and report unsupported ops exactly as
// the built-in ones do.
//
// The export function runs in the shared sandboxed state; its failures (errors, wrong
// return values, blocks it reports with sketch.unsupported) become diagnostics at the Lua
// file and line, and no output file appears.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "kernel/kernel.h"
#include "plugin/lua_state.h"

namespace sketch {

/// What a sketch.kernel{...} declaration says.
struct LuaKernelInfo {
  std::string name;
  std::string description;
  std::vector<std::string> extensions;
  std::set<std::string> ops;  // every op it can express (graph inputs always are)
  bool everyOp = false;       // ops = "*": any op, custom ones included
  int opsRef = 0;             // ops = function(name): asked once per op name (0: none)
  std::string file;
  int line = 0;        // the sketch.kernel{...} call
  int exportLine = 0;  // where the export function starts
  int exportRef = 0;  // registry reference to the export function
};

class LuaKernel : public Kernel {
 public:
  LuaKernel(std::shared_ptr<LuaState> state, LuaKernelInfo info);

  std::string name() const override { return info_.name; }
  std::vector<std::string> extensions() const override { return info_.extensions; }
  std::string description() const override { return info_.description; }
  std::string origin() const override { return info_.file; }
  std::vector<std::string> opNames() const override;
  bool supports(const Node& node) const override;
  bool exportModel(const Graph& graph, const WeightStore& weights, const ExportOptions& options,
                   DiagnosticEngine& diags) const override;

 private:
  bool checkResults(int results, DiagnosticEngine& diags) const;
  bool supportsOp(const std::string& op) const;

  std::shared_ptr<LuaState> state_;
  LuaKernelInfo info_;
  mutable std::map<std::string, bool> answers_;  // what the ops function said, by op
};

/// Installs sketch.unsupported in the sketch table on the stack top.
void registerUnsupportedFunction(lua_State* L);

}  // namespace sketch
