#include "core/common/Device.h"

#include "core/common/Error.h"
#include "core/common/Version.h"

#include <ATen/Context.h>
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

namespace {
// CUDA's runtime version in a LibTorch built with CUDA (e.g. "CUDA 11.7"), else "CPU only".
std::string torchBuildFlavour() {
    if (!at::globalContext().hasCUDART()) return "CPU only";
    const long v = at::globalContext().versionCUDART();
    return "CUDA " + std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10);
}
} // namespace

std::string libraryVersions() {
    return std::string("LibTorch ") + TORCH_VERSION + " (" + torchBuildFlavour() + "), OpenCV " CV_VERSION
           ", yaml-cpp " + yamlCppVersion() + ", SQLite " + sqlite3_libversion();
}

std::string autoDeviceSummary() {
    if (cudaAvailable()) {
        const auto n = torch::cuda::device_count();
        return "cuda (" + std::to_string(n) + (n == 1 ? " CUDA device visible)" : " CUDA devices visible)");
    }
    if (at::globalContext().hasCUDART()) return "cpu (this LibTorch has CUDA, but no CUDA device is visible)";
    return "cpu (this LibTorch is built without CUDA)";
}

std::string versionReport(const std::string& program, const std::string& otherLibraries) {
    return program + " " + projectVersion() + "\n" + otherLibraries + libraryVersions() + "\ndevice: " +
           autoDeviceSummary() + "\n";
}

} // namespace mtl
