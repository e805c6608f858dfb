#include "core/train/UnsupervisedLoss.h"

#include "core/model/MultiTaskLoss.h"
#include "core/train/LossMeter.h"

namespace mtl {

torch::Tensor countTargetPixels(const torch::Tensor& hasTarget, const torch::Tensor& selected, LossMeter& meter) {
    const auto samples = selected.sum().to(torch::kFloat64);
    const auto used = hasTarget.logical_and(selected.view({-1, 1, 1})).sum().to(torch::kFloat64);
    const double pixels = double(hasTarget.size(1) * hasTarget.size(2));
    meter.add("pseudo/seg_pixel_share", used / (samples * pixels).clamp_min(1.0), samples.gt(0));
    return used.to(torch::kFloat);
}

torch::Tensor unsupervisedSegmentationLoss(const torch::Tensor& strongLogits, const torch::Tensor& pseudoLabels,
                                           const torch::Tensor& selected) {
    const auto keep = selected.to(pseudoLabels.device(), torch::kBool).view({-1, 1, 1});
    return segmentationLoss(strongLogits, pseudoLabels.masked_fill(keep.logical_not(), 255));
}

torch::Tensor positiveTargetsOnly(const torch::Tensor& matches) {
    return matches.masked_fill(matches.lt(0), kIgnoredAnchor);
}

torch::Tensor backgroundWhereTeacherSaw(const torch::Tensor& matches, const torch::Tensor& anchors,
                                        const torch::Tensor& teacherSaw) {
    const int64_t n = teacherSaw.size(0), h = teacherSaw.size(1), w = teacherSaw.size(2);
    const auto a = anchors.to(teacherSaw.device(), torch::kFloat);
    const auto x = ((a.select(1, 0) + a.select(1, 2)) / 2).floor().clamp(0, w - 1).to(torch::kLong);
    const auto y = ((a.select(1, 1) + a.select(1, 3)) / 2).floor().clamp(0, h - 1).to(torch::kLong);
    const auto saw = teacherSaw.reshape({n, h * w}).index_select(1, y * w + x).to(matches.device());
    return matches.masked_fill(matches.eq(kBackgroundAnchor).logical_and(saw.logical_not()), kIgnoredAnchor);
}

DetectionLosses unsupervisedDetectionLosses(const torch::Tensor& classLogits, const torch::Tensor& boxDeltas,
                                            const torch::Tensor& anchors, const GroundTruthBoxes& pseudoBoxes,
                                            const torch::Tensor& selected, const MatcherThresholds& matcher,
                                            const torch::Tensor& teacherSaw, const torch::Tensor& labeledPositives) {
    AnchorTargets targets = assignAnchors(pseudoBoxes, anchors, matcher);
    targets.matches = teacherSaw.defined() ? backgroundWhereTeacherSaw(targets.matches, anchors, teacherSaw)
                                           : positiveTargetsOnly(targets.matches);
    return detectionLosses(classLogits, boxDeltas, anchors, targets, selected.to(classLogits.device()), {},
                           teacherSaw.defined() ? labeledPositives : torch::Tensor());
}

} // namespace mtl
