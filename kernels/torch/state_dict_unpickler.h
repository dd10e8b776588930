// A restricted unpickler for the `data.pkl` record of a state_dict that Python's torch.save
// wrote (an OrderedDict of tensors in the zip format). It never executes anything: it
// knows the opcodes such a pickle uses and the few globals it may name
// (collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch.FloatStorage, ...), and
// refuses every other opcode or global with a message that says what was found. No LibTorch
// here: the storages are read by the caller from the archive's `data/<key>` records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/shape.h"

namespace sketch {

/// One tensor of the state_dict: a strided view of a storage record.
struct PickledTensor {
  std::string name;        // state_dict key
  std::string storageKey;  // the archive record is data/<storageKey>
  DType dtype = DType::Float32;
  int64_t storageOffset = 0;  // in elements
  int64_t storageElements = -1;  // the storage's size as the pickle gives it; -1: not given
  std::vector<int64_t> shape;
  std::vector<int64_t> stride;
};

struct UnpickleResult {
  std::vector<PickledTensor> tensors;  // in the dict's order
  std::string error;                   // empty on success
};

/// Reads a pickled state_dict. Non-tensor entries are an error, as are nested dicts
/// (a training checkpoint): the error names the key.
UnpickleResult unpickleStateDict(const std::string& bytes);

}  // namespace sketch
