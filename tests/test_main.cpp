#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <spdlog/spdlog.h>

// Warnings and errors only, as the tools log by default: what the code under test logs at
// info (each initialised parameter, each file read) is not the tests' output.
int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  return doctest::Context(argc, argv).run();
}
