#pragma once
// Allocator settings for processes that train: glibc otherwise returns freed tensor buffers to the
// OS every step.
namespace mtl {

// Makes glibc keep freed tensor buffers instead of returning them to the OS every step
// (measured 8–27 % faster steps). Call once at the start of main.
void tuneMallocForTraining();

} // namespace mtl
