#pragma once
// The photometric operations of the strong view, batched: images N × 3 × H × W floating in [0, 1],
// per-sample magnitudes as a 1-D tensor of N values, `valid` N × H × W bool marking the pixels that
// count in image statistics (autocontrast, equalize, contrast). The exact definitions are in
// AugmentOps.h. Results stay in [0, 1]; labels are never an argument.
#include "core/augment/AugmentOps.h"

#include <torch/torch.h>

namespace mtl {

torch::Tensor autoContrast(const torch::Tensor& images, const torch::Tensor& valid);
torch::Tensor equalize(const torch::Tensor& images, const torch::Tensor& valid);
torch::Tensor invert(const torch::Tensor& images);
torch::Tensor solarize(const torch::Tensor& images, const torch::Tensor& thresholds);
torch::Tensor posterize(const torch::Tensor& images, const torch::Tensor& bits);
torch::Tensor adjustSaturation(const torch::Tensor& images, const torch::Tensor& factors);
torch::Tensor adjustContrast(const torch::Tensor& images, const torch::Tensor& factors, const torch::Tensor& valid);
torch::Tensor adjustBrightness(const torch::Tensor& images, const torch::Tensor& factors);
torch::Tensor adjustSharpness(const torch::Tensor& images, const torch::Tensor& factors);

// Dispatch by operation (photometric operations only; throws std::logic_error for the others).
torch::Tensor applyPhotometric(AugmentOp op, const torch::Tensor& images, const torch::Tensor& magnitudes,
                               const torch::Tensor& valid);

} // namespace mtl
