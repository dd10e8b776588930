#include "core/atomic_file.h"

#include <doctest/doctest.h>

#include <filesystem>

#include <sys/stat.h>

#include "core/mapped_file.h"
#include "temp_dir.h"

using namespace sketch;
using sketch::test::readFile;
using sketch::test::TempDir;
using sketch::test::writeFile;

namespace {

size_t entriesIn(const std::string& folder) {
  size_t count = 0;
  for (auto it = std::filesystem::directory_iterator(folder);
       it != std::filesystem::directory_iterator(); ++it)
    ++count;
  return count;
}

}  // namespace

TEST_CASE("AtomicFile appears only on commit") {
  TempDir dir;
  const std::string path = dir.file("out.bin");
  std::string error;
  auto file = AtomicFile::open(path, &error);
  REQUIRE(file);
  CHECK(file->write("hello "));
  CHECK(file->write("world"));
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK(entriesIn(dir.path()) == 1);  // the temporary file, beside the destination
  REQUIRE(file->commit(&error));
  CHECK(readFile(path) == "hello world");
  file.reset();
  CHECK(entriesIn(dir.path()) == 1);
}

TEST_CASE("AtomicFile without commit leaves nothing behind") {
  TempDir dir;
  std::string error;
  writeFile(dir.file("keep.bin"), "old");
  {
    auto file = AtomicFile::open(dir.file("keep.bin"), &error);
    REQUIRE(file);
    file->write("new contents");
  }
  CHECK(readFile(dir.file("keep.bin")) == "old");
  CHECK(entriesIn(dir.path()) == 1);
}

TEST_CASE("AtomicFile replaces an existing file and streams large writes") {
  TempDir dir;
  const std::string path = dir.file("big.bin");
  writeFile(path, "old");
  std::string error;
  auto file = AtomicFile::open(path, &error);
  REQUIRE(file);
  std::string expected;
  for (int i = 0; i < 50; ++i) {
    std::string chunk(i % 2 ? 100 : 70000, static_cast<char>('a' + i % 26));
    file->write(chunk);
    expected += chunk;
  }
  REQUIRE(file->commit(&error));
  CHECK(readFile(path) == expected);
}

TEST_CASE("AtomicFile copies bytes of a mapped file between buffered writes") {
  TempDir dir;
  std::string input;
  for (int i = 0; i < 300000; ++i) input += static_cast<char>('a' + i % 23);
  writeFile(dir.file("input.bin"), input);
  std::string error;
  auto mapped = MappedFile::open(dir.file("input.bin"), &error);
  REQUIRE(mapped);
  auto file = AtomicFile::open(dir.file("out.bin"), &error);
  REQUIRE(file);
  file->write("head");
  file->write(mapped->data() + 1000, 200000);
  file->write("tail");
  REQUIRE(file->commit(&error));
  CHECK(readFile(dir.file("out.bin")) == "head" + input.substr(1000, 200000) + "tail");

  // A file replaced since it was mapped: the mapping's bytes are written, not the new file's.
  writeFile(dir.file("replacement.bin"), std::string(input.size(), 'z'));
  std::filesystem::rename(dir.file("replacement.bin"), dir.file("input.bin"));
  file = AtomicFile::open(dir.file("out.bin"), &error);
  REQUIRE(file);
  file->write(mapped->data(), 200000);
  REQUIRE(file->commit(&error));
  CHECK(readFile(dir.file("out.bin")) == input.substr(0, 200000));
}

TEST_CASE("AtomicFile errors name the destination and the reason") {
  TempDir dir;
  writeFile(dir.file("input.sketch"), "sketch x");
  std::filesystem::create_symlink(dir.file("input.sketch"), dir.file("alias.sketch"));
  struct Case {
    std::string path;
    std::vector<std::string> inputs;
    std::string error;
  };
  const Case cases[] = {
      {dir.file("no/x.safetensors"), {},
       "cannot create '" + dir.file("no/x.safetensors") + "': No such file or directory"},
      {dir.path(), {}, "cannot write '" + dir.path() + "': Is a directory"},
      {dir.file("input.sketch"), {dir.file("input.sketch")},
       "cannot write '" + dir.file("input.sketch") + "': it is also an input ('" +
           dir.file("input.sketch") + "')"},
      {dir.file("alias.sketch"), {dir.file("input.sketch")},
       "cannot write '" + dir.file("alias.sketch") + "': it is also an input ('" +
           dir.file("input.sketch") + "')"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.path);
    std::string error;
    CHECK(AtomicFile::open(c.path, &error, c.inputs) == nullptr);
    CHECK(error == c.error);
  }
  CHECK(readFile(dir.file("input.sketch")) == "sketch x");
}

TEST_CASE("AtomicFile leaves runs of zeros as holes, a final one too") {
  TempDir dir;
  const std::string path = dir.file("sparse.bin");
  std::string error;
  auto file = AtomicFile::open(path, &error);
  REQUIRE(file);
  constexpr uint64_t kRun = 8 << 20;
  CHECK(file->write("ab"));
  CHECK(file->writeZeros(kRun));
  CHECK(file->write("cd"));
  CHECK(file->writeZeros(kRun));
  REQUIRE(file->commit(&error));
  std::string bytes = readFile(path);
  REQUIRE(bytes.size() == 4 + 2 * kRun);
  CHECK(bytes == "ab" + std::string(kRun, '\0') + "cd" + std::string(kRun, '\0'));
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK(static_cast<uint64_t>(st.st_blocks) * 512 < kRun);  // nothing of the runs was written
}

TEST_CASE("AtomicFile writes devices in place") {
  std::string error;
  auto sink = AtomicFile::open("/dev/null", &error);
  REQUIRE(sink);
  sink->write("discarded");
  CHECK(sink->writeZeros(100000));  // written, as a device has no holes
  CHECK(sink->commit(&error));
  CHECK(std::filesystem::is_character_file("/dev/null"));

  if (!std::filesystem::exists("/dev/full")) return;
  auto full = AtomicFile::open("/dev/full", &error);
  REQUIRE(full);
  full->write(std::string(100, 'x'));
  CHECK_FALSE(full->commit(&error));
  CHECK(error == "cannot write '/dev/full': No space left on device");
}

TEST_CASE("AtomicFile removes the temporaries of killed runs, not of live ones") {
  TempDir dir;
  // Pid 2^22 + 1 is above Linux's pid_max limit, so no process has it.
  writeFile(dir.file(".out.bin.tmp4194305-0"), "left by a killed run");
  const std::string live = ".out.bin.tmp1-0";  // pid 1 always exists
  writeFile(dir.file(live), "another run's");
  writeFile(dir.file(".other.bin.tmp4194305-0"), "another output's");
  std::string error;
  auto file = AtomicFile::open(dir.file("out.bin"), &error);
  REQUIRE(file);
  REQUIRE(file->commit(&error));
  CHECK_FALSE(std::filesystem::exists(dir.file(".out.bin.tmp4194305-0")));
  CHECK(std::filesystem::exists(dir.file(live)));
  CHECK(std::filesystem::exists(dir.file(".other.bin.tmp4194305-0")));
}
