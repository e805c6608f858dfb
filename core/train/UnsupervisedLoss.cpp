#include "core/train/UnsupervisedLoss.h"

#include "core/model/MultiTaskLoss.h"

namespace mtl {

torch::Tensor unsupervisedSegmentationLoss(const torch::Tensor& strongLogits, const torch::Tensor& pseudoLabels,
                                           const torch::Tensor& selected) {
    const auto keep = selected.to(pseudoLabels.device(), torch::kBool).view({-1, 1, 1});
    return segmentationLoss(strongLogits, pseudoLabels.masked_fill(keep.logical_not(), 255));
}

torch::Tensor positiveTargetsOnly(const torch::Tensor& matches) {
    return matches.masked_fill(matches.lt(0), kIgnoredAnchor);
}

DetectionLosses unsupervisedDetectionLosses(const torch::Tensor& classLogits, const torch::Tensor& boxDeltas,
                                            const torch::Tensor& anchors, const GroundTruthBoxes& pseudoBoxes,
                                            const torch::Tensor& selected, const MatcherThresholds& matcher) {
    AnchorTargets targets = assignAnchors(pseudoBoxes, anchors, matcher);
    targets.matches = positiveTargetsOnly(targets.matches);
    return detectionLosses(classLogits, boxDeltas, anchors, targets, selected.to(classLogits.device()));
}

} // namespace mtl
