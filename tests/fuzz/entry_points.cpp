#include "entry_points.h"

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

#include "diag/diagnostic.h"
#include "driver/pipeline.h"
#include "driver/report.h"
#include "graph/infer_shapes.h"
#include "graph/print_graph.h"
#include "graph/raise_graph.h"
#include "import/import_onnx.h"
#include "kernel/kernel.h"
#include "lang/printer.h"
#include "state_dict_unpickler.h"
#include "t7_kernel.h"
#include "weights/safetensors.h"

namespace sketch::fuzz {

namespace {

/// The reports the tools print, so that what a file puts into them (bytes that are not
/// UTF-8, odd names) is rendered as text and as JSON too.
void renderReports(const DiagnosticEngine& diags, const nlohmann::json& product = {}) {
  std::ostringstream sink;
  renderText(diags, sink, true);
  writeJson(sink, {{"diagnostics", diagnosticsJson(diags)}, {"product", product}});
}

void checkSource(const uint8_t* data, size_t size, const std::string& name) {
  MemoryFileSystem fs;
  fs.add(name, std::string(reinterpret_cast<const char*>(data), size));
  SourceManager sources;
  DiagnosticEngine diags(sources, kDefaultErrorLimit);
  std::optional<CheckedSketch> checked = checkSketch(name, fs, sources, diags);
  bool valid = checked && !diags.hasErrors();  // as `sketchc graph` reports only then
  renderReports(diags, valid ? graphToJson(checked->graph, sources) : nlohmann::json());
}

/// What sketch-import does after an importer succeeds, so that odd names and attributes
/// from a file reach the printer and the reports too.
void raiseAndPrint(std::optional<ImportedModel>& model, DiagnosticEngine& diags) {
  if (model && inferShapes(model->graph, diags) && !diags.hasErrors()) {
    RaisedSketch raised = raiseGraph(model->graph, "fuzz.safetensors");
    volatile size_t length = printSketch(raised.module).size();
    (void)length;
  }
  renderReports(diags);
}

/// A file private to this process (in /dev/shm when there is one) holding `data`, for
/// readers that only take a path; one path per process, removed at exit.
const std::string& writeScratchFile(const uint8_t* data, size_t size) {
  struct Scratch {
    std::string path;
    ~Scratch() { ::unlink(path.c_str()); }
  };
  static const Scratch scratch{[] {
    struct stat st;
    std::string folder = ::stat("/dev/shm", &st) == 0 ? "/dev/shm" : "/tmp";
    return folder + "/sketch_fuzz_" + std::to_string(::getpid());
  }()};
  const std::string& path = scratch.path;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();  // the machine is broken, not the reader
  if (size > 0 && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  return path;
}

}  // namespace

void fuzzSketchParser(const uint8_t* data, size_t size) { checkSource(data, size, "fuzz.sketch"); }

void fuzzYamlFrontend(const uint8_t* data, size_t size) { checkSource(data, size, "fuzz.yaml"); }

void fuzzSafetensors(const uint8_t* data, size_t size) {
  std::string error;
  std::optional<WeightStore> store = parseSafetensors(data, size, "fuzz.safetensors", nullptr, &error);
  if (!store) return;
  // Every byte is read, so that a view past its buffer shows under ASan.
  volatile uint8_t sum = 0;
  for (const auto& [name, tensor] : *store)
    for (size_t i = 0; i < tensor.byteSize(); ++i) sum += tensor.data()[i];
  (void)sum;
}

// The path has no folder, so external data could only be looked for beside the process;
// locations are confined to the model's folder, without "..".
void fuzzOnnxImport(const uint8_t* data, size_t size) {
  auto file = onnx_import::parseOnnx({reinterpret_cast<const char*>(data), size}, nullptr);
  if (!file) return;
  SourceManager sources;
  DiagnosticEngine diags(sources);
  ImportOptions options;
  options.allowUnknown = true;
  auto imported = onnx_import::importOnnxModel(std::move(*file), "fuzz.onnx", options, diags);
  raiseAndPrint(imported, diags);
}

void fuzzT7Reader(const uint8_t* data, size_t size) {
  const std::string& path = writeScratchFile(data, size);
  SourceManager sources;
  DiagnosticEngine diags(sources);
  auto imported = importT7(path, ImportOptions{}, diags);
  raiseAndPrint(imported, diags);
}

void fuzzStateDictUnpickler(const uint8_t* data, size_t size) {
  unpickleStateDict(std::string(reinterpret_cast<const char*>(data), size));
}

void fuzzKernelImport(const Kernel& kernel, const uint8_t* data, size_t size) {
  const std::string& path = writeScratchFile(data, size);
  SourceManager sources;
  DiagnosticEngine diags(sources);
  auto imported = kernel.importModel(path, ImportOptions{}, diags);
  raiseAndPrint(imported, diags);
}

}  // namespace sketch::fuzz
