#include "core/parallel_for.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace sketch;

TEST_CASE("parallelFor calls the body once per index") {
  for (unsigned threads : {1u, 2u, 8u}) {
    CAPTURE(threads);
    std::vector<std::atomic<int>> calls(1000);
    parallelFor(calls.size(), threads, [&](size_t i) { ++calls[i]; });
    for (const auto& c : calls) CHECK(c == 1);
  }
  parallelFor(0, 4, [](size_t) { FAIL("no tasks, no calls"); });
}

TEST_CASE("parallelFor runs on as many threads as asked") {
  std::vector<std::thread::id> ids(64);
  parallelFor(ids.size(), 4, [&](size_t i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ids[i] = std::this_thread::get_id();
  });
  std::sort(ids.begin(), ids.end());
  size_t distinct = std::unique(ids.begin(), ids.end()) - ids.begin();
  CHECK(distinct > 1);
  CHECK(distinct <= 4);
}

TEST_CASE("threadCount") {
  CHECK(threadCount(3, 10) == 3);
  CHECK(threadCount(8, 2) == 2);
  CHECK(threadCount(4, 0) == 1);
  CHECK(threadCount(0, 1000) == std::max(1u, std::thread::hardware_concurrency()));
}
