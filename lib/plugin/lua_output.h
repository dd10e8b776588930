// LuaOutput: the only way a Lua kernel writes. It hands the kernel a writer for the output
// path it was given and, on request, for sidecar files beside it (the output path with
// another extension: model.py -> model.bin). Bytes go through AtomicFile, so nothing
// appears unless the export succeeded and commit() ran; the run's inputs are protected.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/atomic_file.h"
#include "diag/diagnostic.h"
#include "kernel/kernel.h"

struct lua_State;

namespace sketch {

class LuaOutput {
 public:
  LuaOutput(const ExportOptions& options, const WeightStore& weights);
  ~LuaOutput();

  /// Pushes the writer userdata for the output path (opened on first write).
  void pushWriter(lua_State* L);
  /// Detaches every writer handed out: writers a kernel kept raise errors from now on.
  void close(lua_State* L);
  /// Renames every written file into place; reports and returns false on failure.
  bool commit(DiagnosticEngine& diags);

  struct File {
    std::string path;
    std::unique_ptr<AtomicFile> file;
    uint64_t size = 0;
  };
  /// Used by the writer methods: the file for `path`, opened on first use.
  File* openFile(const std::string& path, std::string& error);
  /// Keeps the writer on the stack top alive until close() (pops it).
  void registerWriter(lua_State* L);
  /// Whether the kernel wrote (or at least opened) the output path itself.
  bool wroteOutput() const;
  const WeightStore& weights() const { return weights_; }
  const std::string& outputPath() const { return options_.outputPath; }

 private:
  const ExportOptions& options_;
  const WeightStore& weights_;
  std::string mainPath_;
  std::vector<std::unique_ptr<File>> files_;
  std::vector<int> writerRefs_;  // registry references keeping writers alive until close()
};

}  // namespace sketch
