// Interop with an independent implementation of the format (numpy, following the spec and
// the reference writer's layout). Skipped in the unit run; ctest's weights_safetensors_interop
// runs it with --no-skip, as it needs /usr/bin/python3 with numpy.
#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>

#include "../core/temp_dir.h"
#include "weights/safetensors.h"

using namespace sketch;
using sketch::test::readFile;
using sketch::test::TempDir;

namespace {

int runScript(const std::string& arguments) {
  const std::string command = "/usr/bin/python3 '" SKETCH_SOURCE_DIR
                              "/tests/weights/check_safetensors.py' " + arguments;
  return std::system(command.c_str());
}

}  // namespace

TEST_CASE("safetensors interop with numpy" * doctest::skip()) {
  TempDir dir;
  REQUIRE(runScript("write '" + dir.path() + "'") == 0);
  const std::string canonical = readFile(dir.file("canonical.safetensors"));
  for (const char* input : {"canonical.safetensors", "shuffled.safetensors"}) {
    CAPTURE(input);
    std::string error;
    std::optional<WeightStore> store = readSafetensors(dir.file(input), &error);
    REQUIRE_MESSAGE(store, error);
    CHECK(store->size() == 11);
    CHECK(store->metadata().at("source") == "numpy");
    const Tensor* embed = store->find("embed.weight");
    REQUIRE(embed);
    CHECK(embed->shape() == std::vector<int64_t>{3, 4});
    float second = 0;
    std::memcpy(&second, embed->data() + sizeof(float), sizeof second);
    CHECK(second == -0.5f);
    CHECK(store->find("h\xc3\xa9" "ad.\xc3\xbcnicode"));

    const std::string output = dir.file("ours.safetensors");
    REQUIRE_MESSAGE(writeSafetensors(*store, output, &error), error);
    CHECK(readFile(output) == canonical);
    CHECK(runScript("check '" + output + "'") == 0);
  }
}
