#pragma once
// RetinaNet detection head: a feature pyramid P<min>..P<max> over C<min>..C5 (P6 and P7 by stride-2
// convolutions on P5; the paper's P3–P7, or P2–P5 for small images), and two subnets shared by all
// levels — classification (sigmoid, no background column, bias at the 0.01 prior) and box
// regression (deltas against the anchors) — optionally with GroupNorm after each tower convolution.
#include "core/model/ModelSpec.h"

#include <torch/torch.h>

#include <array>
#include <vector>

namespace mtl {

class FeaturePyramidImpl : public torch::nn::Module {
public:
    // inChannels: of C<minLevel>..C5; minLevel 2..5, maxLevel 5..7.
    FeaturePyramidImpl(const std::vector<int>& inChannels, int channels, int minLevel, int maxLevel);
    // C<minLevel>..C5 at strides 2^level → P<minLevel>..P<maxLevel>.
    std::vector<torch::Tensor> forward(const std::vector<torch::Tensor>& inputs);

private:
    int maxLevel_;
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
    static constexpr double kPriorProbability = 0.01;
    // depth: convolutions per tower (RetinaNet's 4).
    RetinaNetHeadImpl(int channels, int anchorsPerCell, int numClasses, HeadNorm norm = HeadNorm::None, int depth = 4);
    DetectionHeadOutput forward(const std::vector<torch::Tensor>& levels);

private:
    int anchorsPerCell_, numClasses_;
    torch::nn::Sequential classTower{nullptr}, boxTower{nullptr};
    torch::nn::Conv2d classLogits{nullptr}, boxRegression{nullptr};
};
TORCH_MODULE(RetinaNetHead);

} // namespace mtl
