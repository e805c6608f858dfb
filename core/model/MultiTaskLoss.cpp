#include "core/model/MultiTaskLoss.h"

#include "core/model/Layers.h"

namespace mtl {
namespace F = torch::nn::functional;

torch::Tensor segmentationLoss(const torch::Tensor& logits, const torch::Tensor& labels) {
    auto full = logits.to(torch::kFloat);
    if (full.size(2) != labels.size(1) || full.size(3) != labels.size(2))
        full = resizeBilinear(full, labels.size(1), labels.size(2));
    auto sum = F::cross_entropy(full, labels, F::CrossEntropyFuncOptions().ignore_index(255).reduction(torch::kSum));
    auto count = labels.ne(255).sum().clamp_min(1).to(sum.dtype());
    return sum / count;
}

MultiTaskLosses multiTaskLosses(MultiTaskModelImpl& model, const MultiTaskOutput& out,
                                const torch::Tensor& segLabels, const GroundTruthBoxes& boxes,
                                const torch::Tensor& hasDet, const MatcherThresholds& matcher) {
    const auto zero = torch::zeros({}, segLabels.options().dtype(torch::kFloat));
    MultiTaskLosses losses{zero, zero, zero, zero, zero, zero};
    if (out.segLogits.defined()) {
        losses.seg = segmentationLoss(out.segLogits, segLabels);
        losses.segPixels = segLabels.ne(255).sum().to(torch::kFloat);
    }
    if (out.classLogits.defined()) {
        auto anchors = model.anchors(out);
        const AnchorTargets targets = assignAnchors(boxes, anchors, matcher);
        const DetectionLosses det = detectionLosses(out.classLogits, out.boxDeltas, anchors, targets, hasDet);
        losses.detClassification = det.classification;
        losses.detRegression = det.regression;
        const auto labeled = hasDet.to(torch::kFloat);
        losses.detPositives = ((targets.matches >= 0).sum(1).to(torch::kFloat) * labeled).sum();
        losses.detImages = labeled.sum();
    }
    return losses;
}

} // namespace mtl
