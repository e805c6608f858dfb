#include "core/common/ParallelFor.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace mtl {

int parallelThreads(int requested, std::size_t n) {
    const int t = requested > 0 ? requested : static_cast<int>(std::thread::hardware_concurrency());
    return std::clamp(t, 1, static_cast<int>(std::max<std::size_t>(n, 1)));
}

void parallelFor(std::size_t n, int threads, const std::function<void(std::size_t, int)>& fn) {
    threads = parallelThreads(threads, n);
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> firstError{n};
    std::exception_ptr error;
    std::mutex mutex;
    auto work = [&](int worker) {
        for (;;) {
            const std::size_t i = next++;
            if (i >= n || i > firstError) return;
            try {
                fn(i, worker);
            } catch (...) {
                const std::lock_guard<std::mutex> lock(mutex);
                if (i < firstError) {
                    firstError = i;
                    error = std::current_exception();
                }
                return;
            }
        }
    };
    std::vector<std::thread> workers;
    for (int t = 1; t < threads; ++t) workers.emplace_back(work, t);
    work(0);
    for (auto& w : workers) w.join();
    if (error) std::rethrow_exception(error);
}

} // namespace mtl
