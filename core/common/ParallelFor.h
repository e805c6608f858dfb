#pragma once
// Runs fn(i, worker) for i in [0, n) on `threads` threads (the caller's included; 0 = all cores),
// handing indices out in order. After a failure at index k the workers finish what they hold but
// take no index beyond k, and the exception rethrown is the one of the smallest failing index, so
// the error a user sees does not depend on scheduling. `worker` (0..threads-1) lets callers keep
// per-thread accumulators without locks.
#include <functional>

namespace mtl {

int parallelThreads(int requested, std::size_t n); // clamps to [1, n]; 0 = hardware concurrency
void parallelFor(std::size_t n, int threads, const std::function<void(std::size_t i, int worker)>& fn);

} // namespace mtl
