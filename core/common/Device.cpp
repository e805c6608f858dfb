#include "core/common/Device.h"

#include "core/common/Error.h"

#include <ATen/Parallel.h>
#include <opencv2/core/version.hpp>
#include <sqlite3.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <malloc.h>
#include <thread>

namespace mtl {

bool cudaAvailable() { return torch::cuda::is_available(); }

std::string resolveDevice(const std::string& requested) {
    if (requested == "cpu") return "cpu";
    if (requested == "cuda") {
        if (!cudaAvailable())
            throw InputError("train.device is 'cuda' but no CUDA device is available "
                             "(this LibTorch build: " TORCH_VERSION ")");
        return "cuda";
    }
    if (requested == "auto") return cudaAvailable() ? "cuda" : "cpu";
    throw InputError("unknown device '" + requested + "' (expected auto, cpu or cuda)");
}

void configureTorchThreads(int n) {
    if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    at::set_num_threads(n);
}

void tuneMallocForTraining() {
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

std::string libraryVersions() {
    return std::string("LibTorch ") + TORCH_VERSION + ", OpenCV " CV_VERSION ", SQLite " +
           sqlite3_libversion();
}

} // namespace mtl
