#include "core/model/MultiTaskNet.h"

#include <cmath>

namespace mtl {
namespace nn = torch::nn;
namespace F = torch::nn::functional;

namespace {
nn::Conv2d conv(int in, int out, int kernel, int stride = 1, int dilation = 1, bool bias = false) {
    return nn::Conv2d(nn::Conv2dOptions(in, out, kernel)
                          .stride(stride)
                          .padding(dilation * (kernel / 2))
                          .dilation(dilation)
                          .bias(bias));
}

nn::Sequential convBnRelu(int in, int out, int kernel, int stride = 1) {
    return nn::Sequential(conv(in, out, kernel, stride), nn::BatchNorm2d(out),
                          nn::ReLU(nn::ReLUOptions(true)));
}

torch::Tensor upsampleTo(const torch::Tensor& x, const torch::Tensor& like) {
    return F::interpolate(x, F::InterpolateFuncOptions()
                                 .size(std::vector<int64_t>{like.size(2), like.size(3)})
                                 .mode(torch::kBilinear)
                                 .align_corners(false));
}
} // namespace

ResidualBlockImpl::ResidualBlockImpl(int in, int out, int stride, int dilation)
    : conv1(register_module("conv1", conv(in, out, 3, stride, dilation))),
      conv2(register_module("conv2", conv(out, out, 3, 1, dilation))),
      bn1(register_module("bn1", nn::BatchNorm2d(out))),
      bn2(register_module("bn2", nn::BatchNorm2d(out))) {
    if (in != out || stride != 1) {
        projection = register_module("projection", conv(in, out, 1, stride));
        projectionBn = register_module("projection_bn", nn::BatchNorm2d(out));
    }
}

torch::Tensor ResidualBlockImpl::forward(const torch::Tensor& x) {
    auto y = torch::relu(bn1(conv1(x)));
    y = bn2(conv2(y));
    auto shortcut = projection ? projectionBn(projection(x)) : x;
    return torch::relu(y + shortcut);
}

MultiTaskNetImpl::MultiTaskNetImpl(int segClasses, int detClasses, int width)
    : segClasses_(segClasses), detClasses_(detClasses) {
    const int c1 = 2 * width, c2 = 3 * width, c3 = 4 * width, d = 48;
    stem = register_module("stem", convBnRelu(3, width, 3, 2));                       // stride 2
    // Stride-4 layers dominate the cost (the largest maps): one block there, narrow decoder.
    stage1 = register_module("stage1", nn::Sequential(ResidualBlock(width, c1, 2)));   // stride 4
    stage2 = register_module("stage2", nn::Sequential(ResidualBlock(c1, c2, 2),
                                                      ResidualBlock(c2, c2, 1)));      // stride 8
    // The last stage trades resolution for context with a dilated block (as DeepLab does).
    stage3 = register_module("stage3", nn::Sequential(ResidualBlock(c2, c3, 2),
                                                      ResidualBlock(c3, c3, 1, 2)));   // stride 16
    lateral1 = register_module("lateral1", conv(c1, d, 1));
    lateral2 = register_module("lateral2", conv(c2, d, 1));
    lateral3 = register_module("lateral3", conv(c3, d, 1));
    fuse2 = register_module("fuse2", convBnRelu(d, d, 3));
    fuse1 = register_module("fuse1", convBnRelu(d, d, 3));

    segHead = register_module("seg_head", convBnRelu(d, d, 3));
    segHead->push_back(conv(d, segClasses, 1, 1, 1, true));
    detTrunk = register_module("det_trunk", convBnRelu(d, d, 3));
    heatmapHead = register_module("heatmap_head", conv(d, detClasses, 1, 1, 1, true));
    shapeHead = register_module("shape_head", conv(d, 4, 1, 1, 1, true));
    // Centre heatmaps start at a low prior (0.1) so that the many background cells do not swamp
    // the first steps (the same reasoning as RetinaNet's prior).
    torch::NoGradGuard noGrad;
    heatmapHead->bias.fill_(-std::log((1.0 - 0.1) / 0.1));
}

MultiTaskOutput MultiTaskNetImpl::forward(const torch::Tensor& images) {
    auto s1 = stage1->forward(stem->forward(images));
    auto s2 = stage2->forward(s1);
    auto s3 = stage3->forward(s2);
    auto f2 = fuse2->forward(lateral2(s2) + upsampleTo(lateral3(s3), s2));
    auto f1 = fuse1->forward(lateral1(s1) + upsampleTo(f2, s1));
    auto det = detTrunk->forward(f1);
    return {segHead->forward(f1), heatmapHead(det), shapeHead(det)};
}

} // namespace mtl
