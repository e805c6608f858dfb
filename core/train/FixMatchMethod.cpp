#include "core/train/FixMatchMethod.h"

#include "core/model/AnchorMatcher.h"
#include "core/train/UnsupervisedLoss.h"

namespace mtl {

TeacherTargets hardPseudoLabelTargets(MultiTaskModelImpl& teacher, AugmentedBatch views, const torch::Tensor& weak,
                                      const TeachingSettings& settings) {
    return hardTargets(std::move(views), teacherPseudoLabels(teacher, weak, settings.pseudoBoxes, settings.segPseudoThreshold),
                       settings);
}

TeacherTargets hardTargets(AugmentedBatch views, PseudoLabels labels, const TeachingSettings& settings) {
    TeacherTargets t;
    t.views = std::move(views);
    t.pseudo = std::move(labels);
    t.targets = moveToStrongView(t.views, t.pseudo, settings.boxFilter,
                                 (settings.pseudoBoxNegatives && !t.pseudo.boxes.empty()) ||
                                     (settings.segLossOverValidPixels && t.pseudo.seg.defined()));
    return t;
}

UnsupervisedLosses FixMatchMethod::unsupervisedLosses(const StrongViewPass& pass, LossMeter& meter) const {
    UnsupervisedLosses l;
    const StrongViewTargets& targets = pass.taught.targets;
    if (targets.seg.defined()) {
        l.seg = unsupervisedSegmentationLoss(pass.output.segLogits, targets.seg, pass.segSelected);
        l.segCount = countTargetPixels(targets.seg.ne(255), pass.segSelected, meter);
        if (settings_.segLossOverValidPixels) {
            // The authors' normalisation: the same sum over every pixel the teacher saw.
            const auto valid = targets.valid.logical_and(pass.segSelected.view({-1, 1, 1})).sum().to(torch::kFloat);
            l.seg = l.seg * l.segCount / valid.clamp_min(1);
            l.segCount = valid;
        }
    }
    if (!targets.boxes.empty()) {
        const torch::Device device = pass.output.classLogits.device();
        // Where anchors of no pseudo-box are background (train.pseudo_box_negatives); `valid` may be
        // there for the segmentation's normalisation alone.
        const torch::Tensor negatives = settings_.pseudoBoxNegatives ? targets.valid : torch::Tensor();
        const DetectionLosses d = unsupervisedDetectionLosses(
            pass.output.classLogits, pass.output.boxDeltas, pass.student.anchors(pass.output),
            padGroundTruth(targets.boxes, 1.f).to(device), pass.detSelected, {}, negatives,
            negatives.defined() ? pass.labeledPositivesPerImage : torch::Tensor());
        l.detClassification = d.classification;
        l.detRegression = d.regression;
        l.detCount = pass.detSelected.sum().to(torch::kFloat);
        double boxes = 0, images = 0;
        for (std::size_t r = 0; r < pass.detSelectedOnHost.size(); ++r)
            if (pass.detSelectedOnHost[r]) {
                boxes += double(targets.boxes[r].size());
                ++images;
            }
        meter.addHost("pseudo/det_boxes_per_image", boxes, images);
    }
    return l;
}

} // namespace mtl
