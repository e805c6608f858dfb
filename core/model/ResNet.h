#pragma once
// ResNet-18/34/50 backbones with a width multiplier and an optionally dilated last stage (output
// stride 16, as DeepLab uses it). Modules are named as torchvision names them (conv1, bn1,
// layer1.0.conv1, layer1.0.downsample.0, ...), so that torchvision's ImageNet weights load by name.
#include "core/model/ModelSpec.h"

#include "core/model/SyncBatchNorm.h"

#include <torch/torch.h>

namespace mtl {

struct BackboneFeatures {
    torch::Tensor c2; // layer1, stride 4
    torch::Tensor c3; // layer2, stride 8
    torch::Tensor c4; // layer3, stride 16
    torch::Tensor c5; // layer4, stride 16 when dilated, else 32
};

// In both blocks, the 3×3 convolution that carries the stride runs at `entryDilation` (the dilation
// before the block) and any later 3×3 at `dilation`: a dilated stage then computes exactly what the
// strided one computes, at every other position.

// Two 3×3 convolutions (ResNet-18/34). The stride sits on the first one.
class BasicBlockImpl : public torch::nn::Module {
public:
    static constexpr int kExpansion = 1;
    BasicBlockImpl(int in, int planes, int stride, int entryDilation, int dilation);
    torch::Tensor forward(const torch::Tensor& x);

private:
    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
    SyncBatchNorm bn1{nullptr}, bn2{nullptr};
    torch::nn::Sequential downsample{nullptr};
};
TORCH_MODULE(BasicBlock);

// 1×1 → 3×3 → 1×1 with 4× expansion (ResNet-50, "v1.5": the stride sits on the 3×3).
class BottleneckImpl : public torch::nn::Module {
public:
    static constexpr int kExpansion = 4;
    BottleneckImpl(int in, int planes, int stride, int entryDilation, int dilation);
    torch::Tensor forward(const torch::Tensor& x);

private:
    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
    SyncBatchNorm bn1{nullptr}, bn2{nullptr}, bn3{nullptr};
    torch::nn::Sequential downsample{nullptr};
};
TORCH_MODULE(Bottleneck);

class ResNetImpl : public torch::nn::Module {
public:
    // dilateLastStage: layer4 keeps stride 16 and uses dilation 2 in all but its first block.
    ResNetImpl(BackboneKind kind, double width, bool dilateLastStage);
    BackboneFeatures forward(const torch::Tensor& images);

    int channels(int stage) const { return channels_.at(stage - 1); } // stage 1..4 = layer1..4
    bool dilatedLastStage() const { return dilated_; }

private:
    torch::nn::Conv2d conv1{nullptr};
    SyncBatchNorm bn1{nullptr};
    torch::nn::Sequential layer1{nullptr}, layer2{nullptr}, layer3{nullptr}, layer4{nullptr};
    std::vector<int> channels_;
    bool dilated_;
};
TORCH_MODULE(ResNet);

} // namespace mtl
