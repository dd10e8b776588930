#include "torch_ops.h"

#include <doctest/doctest.h>

#include "ops/catalogue.h"

using namespace sketch;

TEST_CASE("torch kernel: every catalogue op has a row in the mapping table") {
  for (const std::string& name : catalogue().names()) {
    if (name == "Input") continue;  // graph inputs are forward's arguments
    // Foreign ops (Opaque) record what an importer could not read; no kernel writes them.
    if (catalogue().find(name)->category() == "foreign") continue;
    CAPTURE(name);
    CHECK(torchOps().writer(name) != nullptr);
  }
}

TEST_CASE("torch kernel: TorchScript literals") {
  struct Case {
    Value value;
    const char* literal;
  };
  const Case cases[] = {{Value::ofBool(true), "True"},   {Value::ofInt(3), "3"},
                        {Value::ofFloat(0.1), "0.1"},   {Value::ofFloat(2), "2.0"},
                        {Value::none(), "None"},         {Value::ofString("same"), "\"same\""},
                        {Value::ofInts({1, 2}), "[1, 2]"}};
  for (const Case& c : cases) {
    CAPTURE(c.literal);
    CHECK(torchLiteral(c.value) == c.literal);
  }
}
