#pragma once
// RetinaNet detection head: a feature pyramid P3–P7 over C3–C5 (P6 and P7 by stride-2 convolutions
// on P5), and two subnets shared by all levels — classification (sigmoid, no background column,
// bias at the 0.01 prior) and box regression (deltas against the anchors).
#include <torch/torch.h>

#include <array>
#include <vector>

namespace mtl {

class FeaturePyramidImpl : public torch::nn::Module {
public:
    FeaturePyramidImpl(std::array<int, 3> inChannels, int channels);
    // C3, C4, C5 at strides 8, 16, 32 → P3..P7 at strides 8..128.
    std::vector<torch::Tensor> forward(const torch::Tensor& c3, const torch::Tensor& c4,
                                       const torch::Tensor& c5);

private:
    std::vector<torch::nn::Conv2d> lateral_, output_;
    torch::nn::Conv2d p6{nullptr}, p7{nullptr};
};
TORCH_MODULE(FeaturePyramid);

struct DetectionHeadOutput {
    torch::Tensor classLogits; // N × anchors × classes, anchors ordered level → y → x → anchor
    torch::Tensor boxDeltas;   // N × anchors × 4 (dx, dy, dw, dh)
    std::vector<std::array<int64_t, 2>> levelSizes; // (height, width) of each pyramid level
};

class RetinaNetHeadImpl : public torch::nn::Module {
public:
    static constexpr int kTowerDepth = 4;
    static constexpr double kPriorProbability = 0.01;
    RetinaNetHeadImpl(int channels, int anchorsPerCell, int numClasses);
    DetectionHeadOutput forward(const std::vector<torch::Tensor>& levels);

private:
    int anchorsPerCell_, numClasses_;
    torch::nn::Sequential classTower{nullptr}, boxTower{nullptr};
    torch::nn::Conv2d classLogits{nullptr}, boxRegression{nullptr};
};
TORCH_MODULE(RetinaNetHead);

} // namespace mtl
