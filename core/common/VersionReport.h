#pragma once
// The --version text of both executables and the library line of every run record. Torch-free:
// `mtlw --version` answers without loading LibTorch, so what it says about LibTorch comes from the
// build (core/common/Version.h) and the CUDA devices from the driver itself.
#include <string>

namespace mtl {

// Versions of the libraries we link, for --version and the run record: LibTorch (with its CUDA
// runtime, or "CPU only"), OpenCV, yaml-cpp, SQLite.
std::string libraryVersions();

// The device a run with `train.device: auto` would use, and why: "cuda (1 CUDA device visible)",
// "cpu (this LibTorch is built without CUDA)", ... For a CUDA build the devices are counted by the
// CUDA driver (libcuda), which is what LibTorch's own check rests on.
std::string autoDeviceSummary();

// "PROGRAM VERSION", then otherLibraries (e.g. "Qt 6.4.2, ") followed by libraryVersions(), then
// "device: " autoDeviceSummary(); three lines.
std::string versionReport(const std::string& program, const std::string& otherLibraries = {});

} // namespace mtl
