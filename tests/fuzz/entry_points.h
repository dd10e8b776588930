// The reader entry points that fuzzing exercises, one function per fuzz target, on
// in-memory bytes. The libFuzzer targets (fuzz_<name>.cpp) call them, and so does the unit
// test that replays every kept crash input (regressions/<target>/), so a regression input
// is checked in every build, sanitizers or not. Each function only has to return: the
// messages themselves are the bad-input suite's business.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sketch {
class Kernel;
}

namespace sketch::fuzz {

/// Text front end and what a sketch alone reaches: parse, build, infer shapes, check outputs.
void fuzzSketchParser(const uint8_t* data, size_t size);
/// The same behind the YAML front end.
void fuzzYamlFrontend(const uint8_t* data, size_t size);
/// The safetensors reader; each accepted tensor is read end to end.
void fuzzSafetensors(const uint8_t* data, size_t size);
/// The ONNX importer on a model parsed from memory, then raising and printing.
void fuzzOnnxImport(const uint8_t* data, size_t size);
/// The .t7 reader and importer, then raising and printing.
void fuzzT7Reader(const uint8_t* data, size_t size);
/// The restricted unpickler of .pth state_dicts (the data.pkl record).
void fuzzStateDictUnpickler(const uint8_t* data, size_t size);
/// A model file through a kernel's importModel (for kernels built as modules, which the
/// target links in itself), then raising and printing.
void fuzzKernelImport(const Kernel& kernel, const uint8_t* data, size_t size);

}  // namespace sketch::fuzz
