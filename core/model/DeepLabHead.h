#pragma once
// DeepLabv3+ segmentation head: ASPP on the stride-16 features (atrous rates 6/12/18 + image
// pooling, 256 channels) and a decoder that adds the stride-4 low-level features through a
// 48-channel projection. Channel counts scale with the model's width multiplier.
#include <torch/torch.h>

namespace mtl {

class AsppImpl : public torch::nn::Module {
public:
    AsppImpl(int in, int out, std::vector<int> rates);
    torch::Tensor forward(const torch::Tensor& x);

private:
    std::vector<torch::nn::Sequential> branches_; // 1×1 and one atrous 3×3 per rate
    torch::nn::Conv2d pooling{nullptr};
    torch::nn::Sequential project{nullptr};
};
TORCH_MODULE(Aspp);

class DeepLabHeadImpl : public torch::nn::Module {
public:
    DeepLabHeadImpl(int highChannels, int lowChannels, int numClasses, double width);
    // Logits N × numClasses at the low-level features' resolution (stride 4); resizing them to the
    // input is left to their users (MultiTaskOutput::segLogitsAtInputSize, segmentationLoss).
    torch::Tensor forward(const torch::Tensor& lowLevel, const torch::Tensor& highLevel);

private:
    Aspp aspp{nullptr};
    torch::nn::Sequential lowProject{nullptr}, fuse{nullptr};
    torch::nn::Conv2d classifier{nullptr};
};
TORCH_MODULE(DeepLabHead);

} // namespace mtl
