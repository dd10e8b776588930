// parallelFor: runs independent tasks on a fixed pool of threads.
//
// Tasks are handed out in index order from one shared counter, so a slow task never holds
// up the others; results go to slots the caller indexes by task, so the order in which
// tasks finish never shows in what is printed.
#pragma once

#include <cstddef>
#include <functional>

namespace sketch {

/// The number of threads to use for `requested` (0: one per core), never more than `tasks`
/// and at least 1.
unsigned threadCount(unsigned requested, size_t tasks);

/// Calls body(i) for every i in [0, count) on `threads` threads (1: on the caller's thread)
/// and returns when all calls have returned. `body` must not throw.
void parallelFor(size_t count, unsigned threads, const std::function<void(size_t)>& body);

}  // namespace sketch
