#include "core/train/Optimizer.h"

#include "core/experiment/ExperimentConfig.h"

#include <cmath>

namespace mtl {

namespace {
// The decayed parameters in one group, the rest in another with weight decay 0; optionsWith(decay)
// gives a group's options (both optimisers' options classes are built the same way).
template <class Optim, class OptionsWith>
std::unique_ptr<Optim> withDecayGroups(const ParameterSplit& parameters, double weightDecay, OptionsWith optionsWith) {
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(parameters.decayed, std::make_unique<decltype(optionsWith(0.0))>(optionsWith(weightDecay)));
    groups.emplace_back(parameters.notDecayed, std::make_unique<decltype(optionsWith(0.0))>(optionsWith(0.0)));
    return std::make_unique<Optim>(std::move(groups), optionsWith(weightDecay));
}
} // namespace

std::unique_ptr<torch::optim::SGD> makeSgd(const ParameterSplit& parameters, double lr, double momentum,
                                           double weightDecay) {
    return withDecayGroups<torch::optim::SGD>(parameters, weightDecay, [&](double decay) {
        return torch::optim::SGDOptions(lr).momentum(momentum).nesterov(momentum > 0).weight_decay(decay);
    });
}

std::unique_ptr<torch::optim::AdamW> makeAdamW(const ParameterSplit& parameters, double lr, double momentum,
                                               double weightDecay) {
    return withDecayGroups<torch::optim::AdamW>(parameters, weightDecay, [&](double decay) {
        return torch::optim::AdamWOptions(lr).betas({momentum, 0.999}).eps(1e-8).weight_decay(decay);
    });
}

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const ParameterSplit& parameters, const TrainConfig& train) {
    switch (train.optimizer) {
    case OptimizerKind::AdamW:
        return makeAdamW(parameters, train.lr, train.momentum, train.weightDecay);
    case OptimizerKind::Sgd:
        break;
    }
    return makeSgd(parameters, train.lr, train.momentum, train.weightDecay);
}

double polyLearningRate(double base, std::int64_t step, std::int64_t totalSteps, double power) {
    return base * std::pow(1.0 - double(step) / double(totalSteps), power);
}

void setLearningRate(torch::optim::Optimizer& optimizer, double lr) {
    for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

namespace {
std::vector<torch::Tensor> gradientsOf(const std::vector<torch::Tensor>& parameters) {
    std::vector<torch::Tensor> grads;
    for (const auto& p : parameters)
        if (p.grad().defined()) grads.push_back(p.grad());
    return grads;
}

torch::Tensor normOf(const std::vector<torch::Tensor>& grads) {
    std::vector<torch::Tensor> norms;
    for (const auto& g : grads) norms.push_back(g.detach().norm(2));
    return norms.size() == 1 ? norms[0] : torch::stack(norms).norm(2);
}
} // namespace

torch::Tensor gradientNorm(const std::vector<torch::Tensor>& parameters) {
    const auto grads = gradientsOf(parameters);
    return grads.empty() ? torch::zeros({}) : normOf(grads);
}

torch::Tensor clipGradientNorm(const std::vector<torch::Tensor>& parameters, double maxNorm) {
    auto grads = gradientsOf(parameters);
    if (grads.empty()) return torch::zeros({});
    const torch::Tensor total = normOf(grads);
    // The factor as LibTorch 1.13 computes it (on the device, in the norm's dtype); it only reads
    // the norm back afterwards, to return it, which is the step this function leaves out.
    const torch::Tensor factor = (maxNorm / (total + 1e-6)).clamp_max(1.0);
    for (auto& g : grads) g.detach().mul_(factor);
    return total;
}

} // namespace mtl
