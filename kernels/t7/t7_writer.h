// Writing a t7::Document as `torch.save` does: binary (little-endian, 8-byte longs) or
// ascii.
//
// Tables and torch objects get fresh indices 1, 2, 3, … in write order (depth-first,
// pre-order); an object met again (a shared storage, the same tensor twice) is written as
// its type and index only, so shared storages are written once. Table entries are written
// in the order the document holds them, so the output is deterministic. Lua functions
// cannot be represented and are never written.
#pragma once

#include <functional>
#include <string_view>

#include "t7_object.h"

namespace sketch::t7 {

enum class Format { Binary, Ascii };

/// Receives the output in order; returns false to stop on a write error.
using Sink = std::function<bool(std::string_view bytes)>;
/// Receives a run of that many zero bytes in the output's order (AtomicFile::writeZeros).
using ZeroSink = std::function<bool(uint64_t count)>;

/// Writes `doc.root`; false when a sink failed. The bytes of zero-filled storages go to
/// `zeros` when it is given (a file can leave them as a hole), else to `sink`.
bool writeT7(const Document& doc, Format format, const Sink& sink, const ZeroSink& zeros = nullptr);

}  // namespace sketch::t7
