// Reading `.t7` files (torch.load) into a t7::Document, binary or ascii.
//
// The reader trusts nothing: every count (string length, table size, nDimension, storage
// size) is checked against the bytes left before anything is allocated, recursion depth is
// bounded, and every failure names what was met and the byte offset where it began
// ("unknown Torch class 'nn.gModule' at byte 0"). Lua functions (types 6, 7, 8) are
// refused: their bytecode is VM specific and a model file must not run code. Torch classes
// other than tensors and storages are read only when ReadOptions::acceptClass says so,
// which is what Lua Torch does too (`torch.factory` knows only registered classes).
// Files are little-endian with 8-byte longs (x86_64 and ARM Linux/macOS).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "t7_object.h"

namespace sketch::t7 {

struct ReadOptions {
  /// Classes (besides torch.*Tensor and torch.*Storage) whose instances may be read; their
  /// payload is the field table that nn.Module:write writes. Null accepts none.
  std::function<bool(const std::string& className)> acceptClass;
  int maxDepth = 256;
};

/// Whether `data` is in the ascii format (it starts with a decimal type tag and a newline).
bool isAsciiT7(const uint8_t* data, size_t size);

/// Reads one object stream from memory; null with `error` set on failure. Storages of the
/// binary format view `data` when `owner` keeps it alive, and are copied without one.
std::unique_ptr<Document> readT7(const uint8_t* data, size_t size, const ReadOptions& options,
                                 std::string* error, std::shared_ptr<const void> owner = nullptr);
/// Reads a file; errors are prefixed with the path. `errorNumber`, when given, receives the
/// errno of a file that cannot be opened (and stays 0 for one that is not a valid .t7).
std::unique_ptr<Document> readT7File(const std::string& path, const ReadOptions& options,
                                     std::string* error, int* errorNumber = nullptr);

}  // namespace sketch::t7
