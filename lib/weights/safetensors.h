// Reading and writing safetensors files (https://github.com/huggingface/safetensors).
//
// Layout: an unsigned little-endian 64-bit header length N, N bytes of JSON mapping each
// tensor name to {dtype, shape, data_offsets} (offsets relative to the data section) plus
// an optional "__metadata__" map of strings, then the data section.
//
// Reading maps the file and returns views into it (zero-copy). Every claim of the header is
// checked before a byte is used, with overflow-safe arithmetic, so a hostile file costs no
// more memory than its header: the header length against the file and a 100 MB limit (the
// reference reader's), offsets that must tile the data section exactly (in range, no
// overlaps, no gaps, no trailing bytes), and shape × element size against each byte range.
// Like the reference reader, unknown fields inside a tensor entry are ignored.
//
// Writing is deterministic and byte-identical to the reference implementation's
// serialize(): tensors sorted by descending dtype alignment, then by name; compact JSON
// with "__metadata__" first; the header padded with spaces to a multiple of 8 so that the
// data section (and every tensor, by the sort) is aligned. Output streams through
// AtomicFile, never holding the file in memory. Depends on core/ and nlohmann-json.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "weights/tensor.h"

namespace sketch {

/// The safetensors spelling of a dtype ("F32", "BF16", "BOOL").
const char* safetensorsDTypeName(DType dtype);
/// The dtype of a safetensors dtype name; nothing for names sketchc has no DType for.
std::optional<DType> dtypeFromSafetensors(const std::string& name);

/// Validates and reads safetensors bytes; tensors view `data` and keep `owner` alive.
/// `fileName` prefixes every error ("'w.safetensors': tensor 'fc.weight' ...").
std::optional<WeightStore> parseSafetensors(const uint8_t* data, size_t size,
                                            const std::string& fileName,
                                            std::shared_ptr<const void> owner,
                                            std::string* error);
/// Maps and reads a safetensors file.
std::optional<WeightStore> readSafetensors(const std::string& path, std::string* error);

/// Receives the output bytes in order; returns false to stop on a write error.
using ByteSink = std::function<bool(const void* data, size_t size)>;
/// Streams `store` in safetensors form to `sink`. Fails, with `error` set, on a name the
/// format cannot carry (invalid UTF-8, the reserved "__metadata__") or when the sink fails.
bool serializeSafetensors(const WeightStore& store, const ByteSink& sink, std::string* error);
/// Writes `store` to `path` atomically; `protectedPaths` are inputs it must not overwrite.
bool writeSafetensors(const WeightStore& store, const std::string& path, std::string* error,
                      const std::vector<std::string>& protectedPaths = {});

}  // namespace sketch
