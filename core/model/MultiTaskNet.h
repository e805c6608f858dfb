#pragma once
// The walking skeleton's multi-task model: a small ResNet-style backbone shared by a segmentation
// head and a dense (CenterNet-style) detection head, both reading one stride-4 decoder feature map.
// Issue 5 replaces the heads with DeepLabv3+ and RetinaNet behind the same outputs.
#include <torch/torch.h>

namespace mtl {

struct MultiTaskOutput {
    torch::Tensor segLogits; // N × segClasses × H/4 × W/4
    torch::Tensor heatmap;   // N × detClasses × H/4 × W/4, logits of object-centre probability
    torch::Tensor boxShape;  // N × 4 × H/4 × W/4: log width, log height (in cells), centre offset x, y
};

class ResidualBlockImpl : public torch::nn::Module {
public:
    ResidualBlockImpl(int in, int out, int stride, int dilation = 1);
    torch::Tensor forward(const torch::Tensor& x);

private:
    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, projection{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr}, projectionBn{nullptr};
};
TORCH_MODULE(ResidualBlock);

class MultiTaskNetImpl : public torch::nn::Module {
public:
    static constexpr int kOutputStride = 4;
    MultiTaskNetImpl(int segClasses, int detClasses, int width);
    MultiTaskOutput forward(const torch::Tensor& images); // images normalised, N×3×H×W

    int segClasses() const { return segClasses_; }
    int detClasses() const { return detClasses_; }

private:
    int segClasses_, detClasses_;
    torch::nn::Sequential stem{nullptr}, stage1{nullptr}, stage2{nullptr}, stage3{nullptr};
    torch::nn::Conv2d lateral1{nullptr}, lateral2{nullptr}, lateral3{nullptr};
    torch::nn::Sequential fuse2{nullptr}, fuse1{nullptr};
    torch::nn::Sequential segHead{nullptr}, detTrunk{nullptr};
    torch::nn::Conv2d heatmapHead{nullptr}, shapeHead{nullptr};
};
TORCH_MODULE(MultiTaskNet);

} // namespace mtl
