// libFuzzer target; the work is in entry_points.cpp, shared with the regression replay.
#include "entry_points.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sketch::fuzz::fuzzSafetensors(data, size);
  return 0;
}
