#pragma once
#include <torch/torch.h>

namespace mtl {

// Cross-entropy of stride-4 logits upsampled (bilinear) to the label size, over pixels whose label
// is not 255. Unlabeled samples carry 255 everywhere, which zeroes their loss (the supervised
// multi-task baseline). Returns 0, not NaN, when no pixel is labeled.
torch::Tensor segmentationLoss(const torch::Tensor& logits, const torch::Tensor& labels);

// Logits upsampled to height × width (bilinear), as used by the loss and by evaluation.
torch::Tensor upsampleLogits(const torch::Tensor& logits, int64_t height, int64_t width);

} // namespace mtl
