#include "core/model/MultiTaskLoss.h"

namespace mtl {

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
