#include "core/model/SyncBatchNorm.h"

#include <stdexcept>

namespace mtl {
namespace {

// Σ over the processes, differentiable: the gradient of a sum over processes is the sum of the
// processes' gradients.
struct SumOverProcesses : torch::autograd::Function<SumOverProcesses> {
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x, const ProcessSum* sum) {
        ctx->saved_data["sum"] = reinterpret_cast<std::int64_t>(sum);
        return (*sum)(x);
    }
    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads) {
        const auto* sum = reinterpret_cast<const ProcessSum*>(ctx->saved_data["sum"].toInt());
        return {(*sum)(grads[0].contiguous()), torch::Tensor()};
    }
};

} // namespace

SyncBatchNormImpl::SyncBatchNormImpl(int64_t channels, double eps, double momentum)
    : channels_(channels), eps_(eps), momentum_(momentum) {
    reset();
}

void SyncBatchNormImpl::reset() {
    weight = register_parameter("weight", torch::ones({channels_}));
    bias = register_parameter("bias", torch::zeros({channels_}));
    running_mean = register_buffer("running_mean", torch::zeros({channels_}));
    running_var = register_buffer("running_var", torch::ones({channels_}));
    num_batches_tracked = register_buffer("num_batches_tracked", torch::zeros({}, torch::kLong));
}

torch::Tensor SyncBatchNormImpl::forward(const torch::Tensor& input) {
    if (input.dim() != 4) throw std::invalid_argument("BatchNorm expects N×C×H×W input");
    if (!sum_ || !is_training()) {
        if (is_training()) num_batches_tracked.add_(1);
        return torch::batch_norm(input, weight, bias, running_mean, running_var, is_training(), momentum_, eps_,
                                 at::globalContext().userEnabledCuDNN());
    }
    const int64_t c = input.size(1);
    const auto x = input.to(torch::kFloat); // statistics in float32 under mixed precision too
    const std::vector<int64_t> dims{0, 2, 3};
    const auto local = torch::cat({x.sum(dims), (x * x).sum(dims),
                                   torch::full({1}, double(x.numel() / c), x.options())});
    const auto global = SumOverProcesses::apply(local, &sum_);
    const auto count = global.narrow(0, 2 * c, 1);
    const auto mean = global.narrow(0, 0, c) / count;
    const auto var = (global.narrow(0, c, c) / count - mean * mean).clamp_min(0); // biased, as BatchNorm normalises
    {
        torch::NoGradGuard noGrad;
        const double momentum = momentum_;
        const auto n = count.detach();
        running_mean.mul_(1 - momentum).add_(mean.detach() * momentum);
        running_var.mul_(1 - momentum).add_(var.detach() * n / (n - 1).clamp_min(1) * momentum);
        num_batches_tracked.add_(1);
    }
    const auto scale = torch::rsqrt(var + eps_) * weight;
    const auto y = (x - mean.view({1, c, 1, 1})) * scale.view({1, c, 1, 1}) + bias.view({1, c, 1, 1});
    return y.to(input.scalar_type());
}

int synchronizeBatchNorm(torch::nn::Module& module, const ProcessSum& sum) {
    int n = 0;
    for (const auto& m : module.modules(/*include_self=*/true))
        if (auto* bn = dynamic_cast<SyncBatchNormImpl*>(m.get())) bn->synchronize(sum), ++n;
    return n;
}

} // namespace mtl
