#include "core/model/ResNet.h"

#include "core/model/Layers.h"

namespace mtl {
namespace nn = torch::nn;

namespace {
// The projection shortcut where the block changes resolution or channel count.
nn::Sequential makeDownsample(int in, int out, int stride) {
    if (stride == 1 && in == out) return nullptr;
    return nn::Sequential(convLayer(in, out, 1, stride), SyncBatchNorm(out));
}

// A stage of `blocks` blocks; `in` becomes its output channel count. Only the last stage is ever
// dilated, so its entry runs at dilation 1 (torchvision's rule for the bottleneck).
template <typename BlockImpl>
nn::Sequential makeStage(int& in, int planes, int blocks, int stride, int dilation) {
    nn::Sequential stage;
    stage->push_back(std::make_shared<BlockImpl>(in, planes, stride, 1, dilation));
    in = planes * BlockImpl::kExpansion;
    for (int b = 1; b < blocks; ++b) stage->push_back(std::make_shared<BlockImpl>(in, planes, 1, dilation, dilation));
    return stage;
}
} // namespace

BasicBlockImpl::BasicBlockImpl(int in, int planes, int stride, int entryDilation, int dilation)
    : conv1(register_module("conv1", convLayer(in, planes, 3, stride, entryDilation))),
      conv2(register_module("conv2", convLayer(planes, planes, 3, 1, dilation))),
      bn1(register_module("bn1", SyncBatchNorm(planes))),
      bn2(register_module("bn2", SyncBatchNorm(planes))) {
    if (auto d = makeDownsample(in, planes * kExpansion, stride)) downsample = register_module("downsample", d);
}

torch::Tensor BasicBlockImpl::forward(const torch::Tensor& x) {
    auto y = torch::relu(bn1(conv1(x)));
    y = bn2(conv2(y));
    return torch::relu(y + (downsample ? downsample->forward(x) : x));
}

BottleneckImpl::BottleneckImpl(int in, int planes, int stride, int entryDilation, int /*dilation*/)
    : conv1(register_module("conv1", convLayer(in, planes, 1))),
      conv2(register_module("conv2", convLayer(planes, planes, 3, stride, entryDilation))),
      conv3(register_module("conv3", convLayer(planes, planes * kExpansion, 1))),
      bn1(register_module("bn1", SyncBatchNorm(planes))),
      bn2(register_module("bn2", SyncBatchNorm(planes))),
      bn3(register_module("bn3", SyncBatchNorm(planes * kExpansion))) {
    if (auto d = makeDownsample(in, planes * kExpansion, stride)) downsample = register_module("downsample", d);
}

torch::Tensor BottleneckImpl::forward(const torch::Tensor& x) {
    auto y = torch::relu(bn1(conv1(x)));
    y = torch::relu(bn2(conv2(y)));
    y = bn3(conv3(y));
    return torch::relu(y + (downsample ? downsample->forward(x) : x));
}

ResNetImpl::ResNetImpl(BackboneKind kind, double width, bool dilateLastStage) : dilated_(dilateLastStage) {
    const int stem = scaledChannels(64, width);
    conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(3, stem, 7).stride(2).padding(3).bias(false)));
    bn1 = register_module("bn1", SyncBatchNorm(stem));
    std::vector<int> blocks = kind == BackboneKind::ResNet18 ? std::vector<int>{2, 2, 2, 2}
                                                             : std::vector<int>{3, 4, 6, 3};
    const int lastStride = dilateLastStage ? 1 : 2, lastDilation = dilateLastStage ? 2 : 1;
    int in = stem;
    auto build = [&](int planes, int n, int stride, int dilation) {
        return kind == BackboneKind::ResNet50 ? makeStage<BottleneckImpl>(in, planes, n, stride, dilation)
                                              : makeStage<BasicBlockImpl>(in, planes, n, stride, dilation);
    };
    layer1 = register_module("layer1", build(scaledChannels(64, width), blocks[0], 1, 1));
    channels_.push_back(in);
    layer2 = register_module("layer2", build(scaledChannels(128, width), blocks[1], 2, 1));
    channels_.push_back(in);
    layer3 = register_module("layer3", build(scaledChannels(256, width), blocks[2], 2, 1));
    channels_.push_back(in);
    layer4 = register_module("layer4", build(scaledChannels(512, width), blocks[3], lastStride, lastDilation));
    channels_.push_back(in);

    torch::NoGradGuard noGrad;
    for (auto& m : modules(/*include_self=*/false))
        if (auto* conv = m->as<nn::Conv2d>())
            nn::init::kaiming_normal_(conv->weight, 0, torch::kFanOut, torch::kReLU);
}

BackboneFeatures ResNetImpl::forward(const torch::Tensor& images) {
    namespace F = torch::nn::functional;
    auto x = torch::relu(bn1(conv1(images)));
    x = F::max_pool2d(x, F::MaxPool2dFuncOptions(3).stride(2).padding(1));
    BackboneFeatures f;
    f.c2 = layer1->forward(x);
    f.c3 = layer2->forward(f.c2);
    f.c4 = layer3->forward(f.c3);
    f.c5 = layer4->forward(f.c4);
    return f;
}

} // namespace mtl
