// libFuzzer target for TorchScript archives: the torch kernel's import (LibTorch's zip
// reader, the __setstate__ refusal, torch::jit::load, the script importer), linked in
// statically instead of dlopen'ed.
//
// LibTorch deflates the code records and its reader checks no CRC of stored ones, so a
// custom mutator sometimes mutates one record and writes the archive again with every
// record stored: the code, the pickles and the extra files then stay reachable by the
// byte-level mutations too.
#include <caffe2/serialize/inline_container.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <random>
#include <string>

#include "entry_points.h"
#include "kernel/kernel_module.h"

extern "C" const SketchKernelModule* sketch_kernel_module();
extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t maxSize);

namespace {

using caffe2::serialize::PyTorchStreamReader;
using caffe2::serialize::PyTorchStreamWriter;

/// The input bytes for LibTorch's zip reader. (LibTorch's MemoryReadAdapter does not check
/// the positions the reader asks for, and a damaged archive asks for any.)
class BytesReader final : public caffe2::serialize::ReadAdapterInterface {
 public:
  BytesReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  size_t size() const override { return size_; }
  size_t read(uint64_t pos, void* buf, size_t n, const char*) const override {
    if (pos >= size_) return 0;
    n = std::min<uint64_t>(n, size_ - pos);
    std::memcpy(buf, data_ + pos, n);
    return n;
  }

 private:
  const uint8_t* data_;
  size_t size_;
};

/// The archive in `data` with one record mutated, every record stored; empty when `data`
/// is not an archive or the result would exceed maxSize.
std::string mutateOneRecord(const uint8_t* data, size_t size, size_t maxSize, unsigned seed) {
  std::string out;
  try {
    PyTorchStreamReader reader(std::make_shared<BytesReader>(data, size));
    std::vector<std::string> names = reader.getAllRecords();
    if (names.empty()) return out;
    const std::string& target = names[std::minstd_rand(seed)() % names.size()];
    PyTorchStreamWriter writer([&out](const void* bytes, size_t n) {
      out.append(static_cast<const char*>(bytes), n);
      return n;
    });
    writer.setMinVersion(reader.version());
    for (const std::string& name : names) {
      if (name == "version" || name == ".data/version") continue;  // the writer adds it
      auto [record, recordSize] = reader.getRecord(name);
      std::string bytes(static_cast<const char*>(record.get()), recordSize);
      if (name == target) {
        bytes.resize(2 * recordSize + 64);
        bytes.resize(LLVMFuzzerMutate(reinterpret_cast<uint8_t*>(bytes.data()), recordSize,
                                      bytes.size()));
      }
      writer.writeRecord(name, bytes.data(), bytes.size());
    }
    writer.writeEndOfFile();
  } catch (const c10::Error&) {
    out.clear();
  }
  if (out.size() > maxSize) out.clear();
  return out;
}

}  // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t maxSize,
                                          unsigned seed) {
  if (seed % 2 == 0) {
    std::string archive = mutateOneRecord(data, size, maxSize, seed / 2);
    if (!archive.empty()) {
      std::memcpy(data, archive.data(), archive.size());
      return archive.size();
    }
  }
  return LLVMFuzzerMutate(data, size, maxSize);
}

// LibTorch 1.13 leaks miniz's reader state when PyTorchStreamReader's constructor throws
// (an archive without a version record, say). Leaks allocated inside LibTorch are its own;
// the kernel's are still reported. (Its other leak, the functions of a compilation that
// failed part way, is closed by the kernel: script_tensors.h, LoadedCode.)
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libtorch_cpu.so\n";
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::unique_ptr<sketch::Kernel> kernel(sketch_kernel_module()->makeKernel());
  sketch::fuzz::fuzzKernelImport(*kernel, data, size);
  return 0;
}
