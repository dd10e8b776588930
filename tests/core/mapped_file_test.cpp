#include "core/mapped_file.h"

#include <doctest/doctest.h>

#include <cerrno>

#include "temp_dir.h"

using namespace sketch;
using sketch::test::TempDir;
using sketch::test::writeFile;

TEST_CASE("MappedFile maps a file's bytes") {
  TempDir dir;
  writeFile(dir.file("a.bin"), std::string("ab\0cd", 5));
  writeFile(dir.file("empty.bin"), "");
  std::string error;
  auto file = MappedFile::open(dir.file("a.bin"), &error);
  REQUIRE(file);
  CHECK(file->bytes() == std::string_view("ab\0cd", 5));
  CHECK(file->path() == dir.file("a.bin"));
  auto empty = MappedFile::open(dir.file("empty.bin"), &error);
  REQUIRE(empty);
  CHECK(empty->size() == 0);
}

TEST_CASE("MappedFile reports the path and the OS reason") {
  TempDir dir;
  struct Case {
    std::string path;
    std::string error;
    int errorNumber;
  };
  const Case cases[] = {
      {dir.file("missing"), "cannot open '" + dir.file("missing") + "': No such file or directory",
       ENOENT},
      {dir.path(), "cannot read '" + dir.path() + "': Is a directory", EISDIR},
  };
  for (const Case& c : cases) {
    CAPTURE(c.path);
    std::string error;
    int errorNumber = 0;
    CHECK(MappedFile::open(c.path, &error, &errorNumber) == nullptr);
    CHECK(error == c.error);
    CHECK(errorNumber == c.errorNumber);
  }
}

TEST_CASE("MappedFile::sourceOf finds bytes of a file mapped now") {
  TempDir dir;
  writeFile(dir.file("a.bin"), std::string(10000, 'x'));
  std::string error;
  auto file = MappedFile::open(dir.file("a.bin"), &error);
  REQUIRE(file);
  const uint8_t* data = file->data();
  auto source = MappedFile::sourceOf(data + 100, 9900);
  REQUIRE(source);
  CHECK(source->path == dir.file("a.bin"));
  CHECK(source->offset == 100);
  CHECK_FALSE(MappedFile::sourceOf(data + 100, 9901));  // runs past the end
  std::string memory(100, 'y');
  CHECK_FALSE(MappedFile::sourceOf(memory.data(), memory.size()));
  file.reset();
  CHECK_FALSE(MappedFile::sourceOf(data + 100, 10));  // unmapped
}
