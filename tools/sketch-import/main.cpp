// sketch-import: an existing model with its weights becomes sketch text plus a weights file.
#include <CLI/CLI.hpp>

#include <iostream>

#include "builtin_kernels.h"
#include "diagnostic_flags.h"
#include "driver/commands.h"
#include "log_flags.h"
#include "process_exit.h"

using namespace sketch;

int main(int argc, char** argv) {
  CLI::App app{"sketch-import: turn a model file into an editable sketch and a weights file"};
  app.set_version_flag("--version", "sketch-import " SKETCH_VERSION);
  app.footer("example:\n  sketch-import resnet18.onnx -o resnet18.sketch");
  ImportCommandOptions options;
  KernelRegistry kernels;
  registerBuiltinKernels(kernels);
  CommandIO io{std::cout, std::cerr};
  io.kernels = &kernels;
  app.add_option("model", options.model, "model file (.onnx, .t7, TorchScript .pt/.pth)")->required();
  app.add_option("-o,--output", options.output, "sketch to write (.sketch or .yaml)")->required();
  app.add_option("--weights", options.weights, "weights to write (default: OUT.safetensors)");
  app.add_option("--format", options.format, "sketch form (default: from OUT)")
      ->check(CLI::IsMember({"sketch", "yaml"}));
  app.add_option("--kernel", options.kernel, "kernel to read with (default: from MODEL)")
      ->type_name("KERNEL");
  app.add_option("--input-shape", options.importOptions.inputShape,
                 "input type when the model records none, e.g. \"float32[N, 3, 32, 32]\" (t7, TorchScript)");
  app.add_flag("--allow-unknown", options.importOptions.allowUnknown,
               "keep unknown ops as opaque blocks instead of failing");
  addDiagnosticOptions(app, io);
  LogOptions log;
  log.program = "sketch-import";
  addLogOptions(app, log);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  if (!startLogging(log)) return kExitUsage;
  return finishProcess(runImport(options, io));
}
