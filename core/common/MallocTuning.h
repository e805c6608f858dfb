#pragma once
// Allocator settings for processes that train. glibc otherwise returns freed tensor buffers to the
// OS every step, and in threads other than the main one — where TrainingRun trains, loaders decode
// and the GUI's runs live — it would not even keep them: each thread gets its own arena, made of
// heaps of at most 64 MB, so a large tensor there is mapped and unmapped at every step whatever the
// thresholds say (measured on a semi-supervised ResNet-50 step: 31 % of the step in the kernel).
namespace mtl {

// One arena for every thread (M_ARENA_MAX 1), tensors up to 256 MB kept in it (M_MMAP_THRESHOLD)
// and freed memory returned to the OS only beyond 1 GB at the top (M_TRIM_THRESHOLD). Call at the
// start of main, before any thread allocates: a thread keeps the arena it first used.
void tuneMallocForTraining();

} // namespace mtl
