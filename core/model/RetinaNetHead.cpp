#include "core/model/RetinaNetHead.h"

#include "core/common/Error.h"
#include "core/model/Layers.h"

#include <algorithm>
#include <cmath>

namespace mtl {
namespace nn = torch::nn;
namespace F = torch::nn::functional;

FeaturePyramidImpl::FeaturePyramidImpl(const std::vector<int>& inChannels, int channels, int minLevel, int maxLevel)
    : maxLevel_(maxLevel) {
    if (minLevel < 2 || minLevel > 5 || maxLevel < 5 || maxLevel > 7 || int(inChannels.size()) != 6 - minLevel)
        throw Error("feature pyramid: levels P" + std::to_string(minLevel) + "-P" + std::to_string(maxLevel) + " over " +
                    std::to_string(inChannels.size()) + " backbone stages");
    // Module names keep the level (lateral3 is C3's), so that P3–P7 checkpoints load unchanged.
    for (int i = 0; i < int(inChannels.size()); ++i) {
        const std::string level = std::to_string(minLevel + i);
        lateral_.push_back(register_module("lateral" + level, convLayer(inChannels[i], channels, 1, 1, 1, true)));
        output_.push_back(register_module("output" + level, convLayer(channels, channels, 3, 1, 1, true)));
    }
    if (maxLevel >= 6) p6 = register_module("p6", convLayer(channels, channels, 3, 2, 1, true));
    if (maxLevel >= 7) p7 = register_module("p7", convLayer(channels, channels, 3, 2, 1, true));
    torch::NoGradGuard noGrad;
    for (auto& m : modules(false))
        if (auto* conv = m->as<nn::Conv2d>()) {
            nn::init::kaiming_uniform_(conv->weight, 1.0);
            nn::init::zeros_(conv->bias);
        }
}

std::vector<torch::Tensor> FeaturePyramidImpl::forward(const std::vector<torch::Tensor>& inputs) {
    const int n = int(inputs.size());
    std::vector<torch::Tensor> levels(static_cast<std::size_t>(n));
    auto topDown = lateral_[n - 1](inputs[n - 1]);
    levels[n - 1] = output_[n - 1](topDown);
    for (int i = n - 2; i >= 0; --i) {
        auto lateral = lateral_[i](inputs[i]);
        topDown = lateral + F::interpolate(topDown, F::InterpolateFuncOptions()
                                                        .size(std::vector<int64_t>{lateral.size(2), lateral.size(3)})
                                                        .mode(torch::kNearest));
        levels[i] = output_[i](topDown);
    }
    if (maxLevel_ >= 6) levels.push_back(p6(levels[n - 1]));
    if (maxLevel_ >= 7) levels.push_back(p7(torch::relu(levels.back())));
    return levels;
}

namespace {
// GroupNorm's usual 32 groups, fewer when the width multiplier leaves fewer channels.
int groupsFor(int channels) {
    int groups = std::min(32, channels);
    while (channels % groups != 0) --groups;
    return groups;
}
} // namespace

RetinaNetHeadImpl::RetinaNetHeadImpl(int channels, int anchorsPerCell, int numClasses, HeadNorm norm, int depth)
    : anchorsPerCell_(anchorsPerCell), numClasses_(numClasses) {
    classTower = register_module("class_tower", nn::Sequential());
    boxTower = register_module("box_tower", nn::Sequential());
    const bool grouped = norm == HeadNorm::Group;
    for (int i = 0; i < depth; ++i)
        for (auto* tower : {&classTower, &boxTower}) {
            // With GroupNorm (torchvision's RetinaNet v2) the normalisation's shift replaces the bias.
            (*tower)->push_back(convLayer(channels, channels, 3, 1, 1, /*bias=*/!grouped));
            if (grouped) (*tower)->push_back(nn::GroupNorm(nn::GroupNormOptions(groupsFor(channels), channels)));
            (*tower)->push_back(nn::ReLU(nn::ReLUOptions(true)));
        }
    classLogits = register_module("class_logits", convLayer(channels, anchorsPerCell * numClasses, 3, 1, 1, true));
    boxRegression = register_module("box_regression", convLayer(channels, anchorsPerCell * 4, 3, 1, 1, true));

    torch::NoGradGuard noGrad;
    for (auto& m : modules(false))
        if (auto* conv = m->as<nn::Conv2d>()) {
            nn::init::normal_(conv->weight, 0.0, 0.01);
            if (conv->bias.defined()) nn::init::zeros_(conv->bias);
        }
    // Every anchor starts at probability 0.01 of each class, so that the mass of background
    // anchors does not dominate the first steps' loss.
    classLogits->bias.fill_(-std::log((1.0 - kPriorProbability) / kPriorProbability));
}

DetectionHeadOutput RetinaNetHeadImpl::forward(const std::vector<torch::Tensor>& levels) {
    // N × (A·K) × H × W → N × (H·W·A) × K: the anchor index runs fastest after x.
    auto flatten = [](const torch::Tensor& map, int64_t perAnchor) {
        const int64_t n = map.size(0), h = map.size(2), w = map.size(3);
        return map.view({n, -1, perAnchor, h, w}).permute({0, 3, 4, 1, 2}).reshape({n, -1, perAnchor});
    };
    std::vector<torch::Tensor> cls, box;
    DetectionHeadOutput out;
    for (const auto& level : levels) {
        cls.push_back(flatten(classLogits(classTower->forward(level)), numClasses_));
        box.push_back(flatten(boxRegression(boxTower->forward(level)), 4));
        out.levelSizes.push_back({level.size(2), level.size(3)});
    }
    out.classLogits = torch::cat(cls, 1);
    out.boxDeltas = torch::cat(box, 1);
    return out;
}

} // namespace mtl
