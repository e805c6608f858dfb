#pragma once
// The paper's optimiser: SGD with Nesterov momentum, weight decay on convolution weights only, and
// a polynomial learning-rate decay stepped every iteration; AdamW as the alternative.
#include "core/model/MultiTaskModel.h"

#include <cstdint>
#include <memory>

namespace mtl {

struct TrainConfig;

// Nesterov momentum needs a non-zero momentum: with momentum 0 this is plain SGD.
std::unique_ptr<torch::optim::SGD> makeSgd(const ParameterSplit& parameters, double lr, double momentum,
                                           double weightDecay);

// AdamW with β1 = momentum, β2 = 0.999, ε = 1e-8 and decoupled weight decay on the same weights as
// SGD's; the rest get none.
std::unique_ptr<torch::optim::AdamW> makeAdamW(const ParameterSplit& parameters, double lr, double momentum,
                                               double weightDecay);

// The optimiser train.optimizer names, with train.lr, momentum and weight_decay.
std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const ParameterSplit& parameters, const TrainConfig& train);

// base · (1 − step / totalSteps)^power, step = 0 … totalSteps − 1.
double polyLearningRate(double base, std::int64_t step, std::int64_t totalSteps, double power);

void setLearningRate(torch::optim::Optimizer& optimizer, double lr); // every parameter group

// Scales the gradients so that their global L2 norm is at most maxNorm (LibTorch's clip_grad_norm_:
// factor min(1, maxNorm / (norm + 1e-6))) and returns the norm before clipping, as a device
// tensor: unlike LibTorch's C++ clip_grad_norm_, it does not wait for the device.
torch::Tensor clipGradientNorm(const std::vector<torch::Tensor>& parameters, double maxNorm);
// The global L2 norm of the gradients, as a device tensor (0 when there is none): train/grad_norm.
torch::Tensor gradientNorm(const std::vector<torch::Tensor>& parameters);

} // namespace mtl
