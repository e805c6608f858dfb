#include "core/model/RetinaNetHead.h"

#include "core/model/Layers.h"

#include <cmath>

namespace mtl {
namespace nn = torch::nn;
namespace F = torch::nn::functional;

FeaturePyramidImpl::FeaturePyramidImpl(std::array<int, 3> inChannels, int channels) {
    for (int i = 0; i < 3; ++i) {
        lateral_.push_back(register_module("lateral" + std::to_string(i + 3), convLayer(inChannels[i], channels, 1, 1, 1, true)));
        output_.push_back(register_module("output" + std::to_string(i + 3), convLayer(channels, channels, 3, 1, 1, true)));
    }
    p6 = register_module("p6", convLayer(channels, channels, 3, 2, 1, true));
    p7 = register_module("p7", convLayer(channels, channels, 3, 2, 1, true));
    torch::NoGradGuard noGrad;
    for (auto& m : modules(false))
        if (auto* conv = m->as<nn::Conv2d>()) {
            nn::init::kaiming_uniform_(conv->weight, 1.0);
            nn::init::zeros_(conv->bias);
        }
}

std::vector<torch::Tensor> FeaturePyramidImpl::forward(const torch::Tensor& c3, const torch::Tensor& c4,
                                                       const torch::Tensor& c5) {
    const std::array<torch::Tensor, 3> inputs{c3, c4, c5};
    std::vector<torch::Tensor> levels(3);
    auto topDown = lateral_[2](c5);
    levels[2] = output_[2](topDown);
    for (int i = 1; i >= 0; --i) {
        auto lateral = lateral_[i](inputs[i]);
        topDown = lateral + F::interpolate(topDown, F::InterpolateFuncOptions()
                                                        .size(std::vector<int64_t>{lateral.size(2), lateral.size(3)})
                                                        .mode(torch::kNearest));
        levels[i] = output_[i](topDown);
    }
    levels.push_back(p6(levels[2]));
    levels.push_back(p7(torch::relu(levels[3])));
    return levels;
}

RetinaNetHeadImpl::RetinaNetHeadImpl(int channels, int anchorsPerCell, int numClasses)
    : anchorsPerCell_(anchorsPerCell), numClasses_(numClasses) {
    classTower = register_module("class_tower", nn::Sequential());
    boxTower = register_module("box_tower", nn::Sequential());
    for (int i = 0; i < kTowerDepth; ++i)
        for (auto* tower : {&classTower, &boxTower}) {
            (*tower)->push_back(convLayer(channels, channels, 3, 1, 1, true));
            (*tower)->push_back(nn::ReLU(nn::ReLUOptions(true)));
        }
    classLogits = register_module("class_logits", convLayer(channels, anchorsPerCell * numClasses, 3, 1, 1, true));
    boxRegression = register_module("box_regression", convLayer(channels, anchorsPerCell * 4, 3, 1, 1, true));

    torch::NoGradGuard noGrad;
    for (auto& m : modules(false))
        if (auto* conv = m->as<nn::Conv2d>()) {
            nn::init::normal_(conv->weight, 0.0, 0.01);
            nn::init::zeros_(conv->bias);
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
