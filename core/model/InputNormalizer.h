#pragma once
// uint8 N×H×W×3 RGB batches (or float ones in [0, 1]) → float N×3×H×W normalised with the ImageNet mean and std, on the
// device (the loader ships bytes: 4× less to copy than floats).
#include <torch/torch.h>

namespace mtl {

class InputNormalizer {
public:
    explicit InputNormalizer(const torch::Device& device)
        : mean_(torch::tensor({0.485f, 0.456f, 0.406f}, device).view({1, 3, 1, 1}) * 255.f),
          invStd_(1.f / (torch::tensor({0.229f, 0.224f, 0.225f}, device).view({1, 3, 1, 1}) * 255.f)) {}

    torch::Tensor operator()(const torch::Tensor& imagesNHWC) const {
        return (imagesNHWC.permute({0, 3, 1, 2}).to(torch::kFloat) - mean_) * invStd_;
    }
    // Float N×3×H×W images in [0, 1] (the augmentation engine's views) → normalised.
    torch::Tensor fromUnit(const torch::Tensor& imagesNCHW) const {
        return (imagesNCHW.to(torch::kFloat) * 255.f - mean_) * invStd_;
    }

private:
    torch::Tensor mean_, invStd_;
};

} // namespace mtl
