#pragma once
// Linux scheduling priority (nice value) of the calling thread. A training run started from the GUI
// lowers its own thread's priority; the threads it creates afterwards (the loader's workers,
// LibTorch's OpenMP team) inherit it, so the GUI thread gets a core whenever it has work even
// while training keeps every core busy.
namespace mtl {

// Raises the calling thread's nice value by `increment` (clamped to 19); returns false where the
// system refuses (or on platforms without per-thread nice values).
bool lowerCurrentThreadPriority(int increment);
int currentThreadNice();

} // namespace mtl
