#include "core/common/VersionReport.h"

#include "core/common/Version.h"

#include <opencv2/core/version.hpp>
#include <sqlite3.h>

#include <dlfcn.h>

namespace mtl {
namespace {

std::string torchBuildFlavour() {
    const std::string cuda = torchCudaVersion();
    return cuda.empty() ? "CPU only" : "CUDA " + cuda;
}

// CUDA devices the driver shows this process (CUDA_VISIBLE_DEVICES applies); 0 without a driver.
// The driver API is loaded on demand: a machine without a GPU has no libcuda.
int cudaDriverDeviceCount() {
    void* driver = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!driver) return 0;
    using InitFn = int (*)(unsigned int);
    using CountFn = int (*)(int*);
    const auto init = reinterpret_cast<InitFn>(dlsym(driver, "cuInit"));
    const auto count = reinterpret_cast<CountFn>(dlsym(driver, "cuDeviceGetCount"));
    int n = 0;
    if (!init || !count || init(0) != 0 || count(&n) != 0) n = 0;
    dlclose(driver);
    return n;
}

} // namespace

std::string libraryVersions() {
    return std::string("LibTorch ") + torchVersion() + " (" + torchBuildFlavour() + "), OpenCV " CV_VERSION
           ", yaml-cpp " + yamlCppVersion() + ", SQLite " + sqlite3_libversion();
}

std::string autoDeviceSummary() {
    if (std::string(torchCudaVersion()).empty()) return "cpu (this LibTorch is built without CUDA)";
    const int n = cudaDriverDeviceCount();
    if (n > 0) return "cuda (" + std::to_string(n) + (n == 1 ? " CUDA device visible)" : " CUDA devices visible)");
    return "cpu (this LibTorch has CUDA, but no CUDA device is visible)";
}

std::string versionReport(const std::string& program, const std::string& otherLibraries) {
    return program + " " + projectVersion() + "\n" + otherLibraries + libraryVersions() + "\ndevice: " +
           autoDeviceSummary() + "\n";
}

} // namespace mtl
