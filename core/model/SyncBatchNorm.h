#pragma once
// The model's BatchNorm: torch::nn::BatchNorm2d's computation, parameters and buffers under the
// same names (so checkpoints and pretrained weights load alike), whose batch statistics can span
// the processes of a data-parallel run (model.sync_bn). Synchronised, a training step normalises
// with the mean and variance of the global batch, and the gradient flows back through them to
// every process, as PyTorch's SyncBatchNorm does. (Its own module rather than a subclass of
// BatchNorm2dImpl: LibTorch does not export that template's members.)
#include <torch/torch.h>

#include <functional>

namespace mtl {

// Adds a tensor over the processes of a run (DataParallel::sum).
using ProcessSum = std::function<torch::Tensor(const torch::Tensor&)>;

class SyncBatchNormImpl : public torch::nn::Cloneable<SyncBatchNormImpl> {
public:
    explicit SyncBatchNormImpl(int64_t channels, double eps = 1e-5, double momentum = 0.1);
    void reset() override;
    // In training mode, statistics over every process's batch; null: over this process's alone.
    void synchronize(ProcessSum sum) { sum_ = std::move(sum); }
    torch::Tensor forward(const torch::Tensor& input);

    torch::Tensor weight, bias, running_mean, running_var, num_batches_tracked;

private:
    int64_t channels_;
    double eps_, momentum_;
    ProcessSum sum_;
};
TORCH_MODULE(SyncBatchNorm);

// Synchronises every SyncBatchNorm in `module` by `sum`; returns how many there are.
int synchronizeBatchNorm(torch::nn::Module& module, const ProcessSum& sum);

} // namespace mtl
