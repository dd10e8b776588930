// Helpers of the t7 tests: the copied vectors (tests/data/t7, see its README for their
// provenance) and reading them.
#pragma once

#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "t7_reader.h"

namespace sketch::t7::testing {

inline std::string vector(const std::string& name) {
  return std::string(SKETCH_SOURCE_DIR) + "/tests/data/t7/" + name;
}

inline std::unique_ptr<Document> read(const std::string& name, const ReadOptions& options = {}) {
  std::string error;
  std::unique_ptr<Document> doc = readT7File(vector(name), options, &error);
  INFO(error);
  REQUIRE(doc);
  return doc;
}

/// A tensor object's elements, contiguous, as doubles.
inline std::vector<double> values(const Object& tensor) {
  std::string error;
  std::optional<Tensor> t = toTensor(tensor, &error);
  REQUIRE(t);
  std::vector<double> out;
  for (int64_t i = 0; i < t->numel(); ++i) {
    const uint8_t* p = t->data() + i * dtypeSize(t->dtype());
    if (t->dtype() == DType::Float32) {
      float f;
      std::memcpy(&f, p, 4);
      out.push_back(f);
    } else if (t->dtype() == DType::Float64) {
      double d;
      std::memcpy(&d, p, 8);
      out.push_back(d);
    } else {
      int64_t l;
      std::memcpy(&l, p, 8);
      out.push_back(double(l));
    }
  }
  return out;
}

/// A tensor's (or storage's) bytes.
inline std::string_view bytesOf(const Tensor& tensor) {
  return {reinterpret_cast<const char*>(tensor.data()), tensor.byteSize()};
}

}  // namespace sketch::t7::testing
