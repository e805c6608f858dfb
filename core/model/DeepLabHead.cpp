#include "core/model/DeepLabHead.h"

#include "core/model/Layers.h"
#include "core/model/ModelSpec.h"

namespace mtl {
namespace nn = torch::nn;

AsppImpl::AsppImpl(int in, int out, std::vector<int> rates) {
    rates.insert(rates.begin(), 0); // 0 = the 1×1 branch
    for (std::size_t i = 0; i < rates.size(); ++i) {
        nn::Sequential branch;
        appendConvBnRelu(branch, in, out, rates[i] == 0 ? 1 : 3, std::max(1, rates[i]));
        branches_.push_back(register_module("branch" + std::to_string(i), branch));
    }
    // No BatchNorm on the pooled branch: its map is 1×1, so BatchNorm would fail at batch size 1.
    pooling = register_module("pooling", convLayer(in, out, 1, 1, 1, /*bias=*/true));
    project = register_module("project", nn::Sequential());
    appendConvBnRelu(project, out * int(branches_.size() + 1), out, 1);
    project->push_back(nn::Dropout(0.1));
}

torch::Tensor AsppImpl::forward(const torch::Tensor& x) {
    std::vector<torch::Tensor> outs;
    for (auto& b : branches_) outs.push_back(b->forward(x));
    auto pooled = torch::relu(pooling(x.mean({2, 3}, /*keepdim=*/true)));
    outs.push_back(pooled.expand({-1, -1, x.size(2), x.size(3)}));
    return project->forward(torch::cat(outs, 1));
}

DeepLabHeadImpl::DeepLabHeadImpl(int highChannels, int lowChannels, int numClasses, double width) {
    const int channels = scaledChannels(256, width), lowOut = scaledChannels(48, width);
    aspp = register_module("aspp", Aspp(highChannels, channels, std::vector<int>{6, 12, 18}));
    lowProject = register_module("low_project", nn::Sequential());
    appendConvBnRelu(lowProject, lowChannels, lowOut, 1);
    fuse = register_module("fuse", nn::Sequential());
    appendConvBnRelu(fuse, channels + lowOut, channels, 3);
    appendConvBnRelu(fuse, channels, channels, 3);
    classifier = register_module("classifier", convLayer(channels, numClasses, 1, 1, 1, /*bias=*/true));

    torch::NoGradGuard noGrad;
    for (auto& m : modules(/*include_self=*/false))
        if (auto* conv = m->as<nn::Conv2d>()) nn::init::kaiming_normal_(conv->weight, 0, torch::kFanIn, torch::kReLU);
}

torch::Tensor DeepLabHeadImpl::forward(const torch::Tensor& lowLevel, const torch::Tensor& highLevel) {
    auto low = lowProject->forward(lowLevel);
    auto high = resizeBilinear(aspp->forward(highLevel), low.size(2), low.size(3));
    return classifier(fuse->forward(torch::cat({high, low}, 1)));
}

} // namespace mtl
