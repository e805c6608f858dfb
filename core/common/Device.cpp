#include "core/common/Device.h"

#include "core/common/Error.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/version.h>

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

} // namespace mtl
