#include <doctest/doctest.h>

#include "core/value.h"

namespace sketch {

TEST_CASE("values print in canonical sketch spelling and floats read back exactly") {
  struct Case {
    Value value;
    const char* text;
  };
  const Case cases[] = {
      {Value::ofFloat(20.0), "20.0"},   {Value::ofFloat(0.1), "0.1"},
      {Value::ofFloat(1e-5), "1e-05"},  {Value::ofFloat(-2.5), "-2.5"},
      {Value::ofFloat(1e16), "1e+16"},  {Value::ofInt(-3), "-3"},
      {Value::ofBool(true), "true"},    {Value::none(), "none"},
      {Value::ofString("a\"b"), "\"a\\\"b\""},
      {Value::ofInts({3, 3}), "(3, 3)"}, {Value::ofInts({7}), "(7,)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(c.value.toString() == c.text);
  }
}

}  // namespace sketch
