#pragma once
// Mixed precision for the forward pass on CUDA: bfloat16 autocast. bfloat16 keeps float32's
// exponent range, so gradients need no loss scaling (LibTorch 1.13 has no C++ GradScaler, which
// float16 would need). Losses are computed in float32 outside the scope.
#include <ATen/autocast_mode.h>
#include <torch/torch.h>

namespace mtl {

class AutocastScope {
public:
    // Does nothing unless enabled on a CUDA device (CPU autocast would only slow the CPU path).
    AutocastScope(bool enabled, const torch::Device& device) : active_(enabled && device.is_cuda()) {
        if (!active_) return;
        previousDtype_ = at::autocast::get_autocast_gpu_dtype();
        at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
        at::autocast::set_enabled(true);
        at::autocast::increment_nesting();
    }
    ~AutocastScope() {
        if (!active_) return;
        if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
        at::autocast::set_enabled(false);
        at::autocast::set_autocast_gpu_dtype(previousDtype_);
    }
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool active_;
    at::ScalarType previousDtype_ = at::kHalf;
};

} // namespace mtl
