#pragma once
// Which device a run uses and how many CPU threads Torch may use. Kept free of Torch headers.
#include <string>

namespace mtl {

// "auto" → "cuda" when a CUDA device is available, else "cpu"; "cpu"/"cuda" force one.
// Throws InputError when "cuda" is asked for and none is available.
std::string resolveDevice(const std::string& requested);
bool cudaAvailable();

// Torch's intra-op thread count is per thread: call this in every thread that runs Torch.
// n <= 0 means all cores.
void configureTorchThreads(int n);

// Makes glibc keep freed tensor buffers instead of returning them to the OS every step
// (measured 8–27 % faster steps). Call once at the start of main.
void tuneMallocForTraining();

// Versions of the libraries we link, for --version and the run record: LibTorch (with its CUDA
// runtime, or "CPU only"), OpenCV, yaml-cpp, SQLite.
std::string libraryVersions();

// The device a run with `train.device: auto` would use, and why: "cuda (1 CUDA device visible)",
// "cpu (this LibTorch is built without CUDA)", ...
std::string autoDeviceSummary();

// The --version text of both executables: "PROGRAM VERSION", then otherLibraries (e.g. "Qt 6.4.2, ")
// followed by libraryVersions(), then "device: " autoDeviceSummary(); three lines.
std::string versionReport(const std::string& program, const std::string& otherLibraries = {});

} // namespace mtl
