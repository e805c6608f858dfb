#include "core/model/SegmentationLoss.h"

namespace mtl {
namespace F = torch::nn::functional;

torch::Tensor upsampleLogits(const torch::Tensor& logits, int64_t height, int64_t width) {
    return F::interpolate(logits, F::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{height, width})
                                      .mode(torch::kBilinear)
                                      .align_corners(false));
}

torch::Tensor segmentationLoss(const torch::Tensor& logits, const torch::Tensor& labels) {
    auto full = upsampleLogits(logits, labels.size(1), labels.size(2));
    auto sum = F::cross_entropy(full, labels,
                                F::CrossEntropyFuncOptions().ignore_index(255).reduction(torch::kSum));
    auto count = labels.ne(255).sum().clamp_min(1).to(sum.dtype());
    return sum / count;
}

} // namespace mtl
