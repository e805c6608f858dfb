#pragma once
// Which device a run uses and how many CPU threads Torch may use: the model layer's (it asks
// LibTorch). Kept free of Torch headers; the torch-free version text is in VersionReport.h.
#include <string>

namespace mtl {

// "auto" → "cuda" when a CUDA device is available, else "cpu"; "cpu"/"cuda" force one.
// Throws InputError when "cuda" is asked for and none is available.
std::string resolveDevice(const std::string& requested);
bool cudaAvailable();

// Torch's intra-op thread count is per thread: call this in every thread that runs Torch.
// n <= 0 means all cores.
void configureTorchThreads(int n);

} // namespace mtl
