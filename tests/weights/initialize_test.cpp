#include "weights/initialize.h"

#include "ops/catalogue.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <vector>

using namespace sketch;

namespace {

ParamSpec spec(std::vector<int64_t> shape, Init init, DType dtype = DType::Float32) {
  ParamSpec p;
  p.name = "weight";
  p.shape = std::move(shape);
  p.init = init;
  p.dtype = dtype;
  return p;
}

std::vector<double> values(const Tensor& t) {
  std::vector<double> out;
  for (int64_t i = 0; i < t.numel(); ++i) {
    if (t.dtype() == DType::Float32) {
      float v;
      std::memcpy(&v, t.data() + i * 4, 4);
      out.push_back(v);
    } else if (t.dtype() == DType::Float64) {
      double v;
      std::memcpy(&v, t.data() + i * 8, 8);
      out.push_back(v);
    } else {
      int64_t v;
      std::memcpy(&v, t.data() + i * 8, 8);
      out.push_back(static_cast<double>(v));
    }
  }
  return out;
}

std::vector<double> initialise(const std::string& name, const ParamSpec& p, uint64_t seed) {
  std::string error;
  std::optional<Tensor> t = initializeParam(name, p, seed, &error);
  REQUIRE_MESSAGE(t, error);
  CHECK(t->shape() == p.shape);
  CHECK(t->dtype() == p.dtype);
  return values(*t);
}

}  // namespace

TEST_CASE("initialisation depends only on the seed and the full name") {
  ParamSpec p = spec({4, 8}, Init::uniform(0.25));
  std::vector<double> a = initialise("fc.weight", p, 1);
  CHECK(initialise("fc.weight", p, 1) == a);
  initialise("other.weight", p, 1);  // creating another parameter first changes nothing
  CHECK(initialise("fc.weight", p, 1) == a);
  CHECK(initialise("fc.weight", p, 2) != a);
  CHECK(initialise("fc.bias", p, 1) != a);
  CHECK(parameterSeed(0, "a") != parameterSeed(0, "b"));
  CHECK(parameterSeed(0, "a") != parameterSeed(1, "a"));
}

TEST_CASE("initialisation follows Init: fill, uniform bound, normal spread") {
  const int64_t n = 20000;
  struct Case {
    Init init;
    DType dtype;
    double mean, spread, low, high;  // spread: the std dev the samples must show
  };
  const double bound = 0.5;
  const Case cases[] = {
      {Init::fill(0.25), DType::Float32, 0.25, 0.0, 0.25, 0.25},
      {Init::fill(1), DType::Int64, 1.0, 0.0, 1, 1},
      {Init::uniform(bound), DType::Float32, 0.0, bound / std::sqrt(3.0), -bound, bound},
      {Init::uniform(bound), DType::Float64, 0.0, bound / std::sqrt(3.0), -bound, bound},
      {Init::normal(2.0), DType::Float32, 0.0, 2.0, -20, 20},
  };
  for (const Case& c : cases) {
    CAPTURE(static_cast<int>(c.init.kind));
    CAPTURE(std::string(dtypeName(c.dtype)));
    std::vector<double> v = initialise("x.weight", spec({n}, c.init, c.dtype), 7);
    double sum = 0, squares = 0, low = v[0], high = v[0];
    for (double x : v) {
      sum += x;
      squares += x * x;
      low = std::min(low, x);
      high = std::max(high, x);
    }
    double mean = sum / n;
    double spread = std::sqrt(squares / n - mean * mean);
    CHECK(low >= c.low);
    CHECK(high <= c.high);
    CHECK(std::abs(mean - c.mean) <= 0.03 * c.spread);
    CHECK(spread == doctest::Approx(c.spread).epsilon(0.03));
  }
}

TEST_CASE("initialisation takes the values an attribute gives") {
  CHECK(initialise("loss.weight", spec({3}, Init::of({1.0, 2.0, 0.5})), 7) ==
        std::vector<double>{1.0, 2.0, 0.5});
  std::string error;
  CHECK_FALSE(initializeParam("loss.weight", spec({4}, Init::of({1.0, 2.0})), 7, &error));
}

TEST_CASE("a loss starts with the per-class weights its attribute gives") {
  // CrossEntropyLoss(weight=[...]) once compiled with a weight of ones.
  const OpDef& op = *catalogue().find("CrossEntropyLoss");
  Attrs attrs;
  for (const AttrDef& a : op.attrs()) attrs[a.name] = a.defaultValue;
  attrs["weight"] = Value::ofList({Value::ofFloat(1.0), Value::ofFloat(2.0), Value::ofFloat(0.5)});
  std::vector<ParamSpec> params = op.paramFn()(attrs);
  REQUIRE(params.size() == 1);
  CHECK(initialise("loss.weight", params[0], 7) == std::vector<double>{1.0, 2.0, 0.5});
}

TEST_CASE("initialisation refuses what it cannot fill") {
  struct Case {
    ParamSpec spec;
    std::string error;
  };
  const Case cases[] = {
      {spec({2}, Init::fill(0), DType::Float16),
       "cannot initialise parameter 'p' of dtype float16"},
      {spec({2}, Init::uniform(1), DType::Int64),
       "cannot initialise parameter 'p' of dtype int64 with random values"},
      {spec({int64_t(1) << 62, 8}, Init::fill(0)),
       "parameter 'p' has shape [4611686018427387904, 8] whose size overflows"},
      {spec({-1}, Init::fill(0)), "parameter 'p' has shape [-1] whose size overflows"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.error);
    std::string error;
    CHECK_FALSE(initializeParam("p", c.spec, 0, &error));
    CHECK(error == c.error);
  }
}
