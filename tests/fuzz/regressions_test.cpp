// Replays every input the fuzzers ever crashed on (tests/fuzz/regressions/<target>/) through
// the same entry points, in every build: a fixed reader must stay fixed without a fuzz
// build. A crash, a sanitizer report or a hang here is the failure; there is nothing to
// compare.
#include <dirent.h>

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "entry_points.h"

namespace {

using EntryPoint = void (*)(const uint8_t*, size_t);

std::vector<std::string> filesIn(const std::string& folder) {
  std::vector<std::string> files;
  DIR* dir = ::opendir(folder.c_str());
  if (!dir) return files;
  while (dirent* entry = ::readdir(dir))
    if (entry->d_name[0] != '.') files.push_back(folder + "/" + entry->d_name);
  ::closedir(dir);
  return files;
}

}  // namespace

TEST_CASE("fuzz regressions: every kept crash input is read without crashing") {
  struct Target {
    const char* name;
    EntryPoint run;
  };
  const Target targets[] = {
      {"fuzz_sketch_parser", sketch::fuzz::fuzzSketchParser},
      {"fuzz_yaml_frontend", sketch::fuzz::fuzzYamlFrontend},
      {"fuzz_safetensors", sketch::fuzz::fuzzSafetensors},
      {"fuzz_onnx_import", sketch::fuzz::fuzzOnnxImport},
      {"fuzz_t7_reader", sketch::fuzz::fuzzT7Reader},
      {"fuzz_state_dict_unpickler", sketch::fuzz::fuzzStateDictUnpickler},
  };
  for (const Target& target : targets) {
    for (const std::string& path :
         filesIn(std::string(SKETCH_SOURCE_DIR) + "/tests/fuzz/regressions/" + target.name)) {
      CAPTURE(path);
      std::ifstream in(path, std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      std::string data = bytes.str();
      target.run(reinterpret_cast<const uint8_t*>(data.data()), data.size());
      CHECK(true);
    }
  }
}
