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
                                 settings.pseudoBoxNegatives && !t.pseudo.boxes.empty());
    return t;
}

UnsupervisedLosses FixMatchMethod::unsupervisedLosses(const StrongViewPass& pass, LossMeter& meter) const {
    UnsupervisedLosses l;
    const StrongViewTargets& targets = pass.taught.targets;
    if (targets.seg.defined()) {
        l.seg = unsupervisedSegmentationLoss(pass.output.segLogits, targets.seg, pass.segSelected);
        l.segCount = countTargetPixels(targets.seg.ne(255), pass.segSelected, meter);
    }
    if (!targets.boxes.empty()) {
        const torch::Device device = pass.output.classLogits.device();
        const DetectionLosses d = unsupervisedDetectionLosses(
            pass.output.classLogits, pass.output.boxDeltas, pass.student.anchors(pass.output),
            padGroundTruth(targets.boxes, 1.f).to(device), pass.detSelected, {}, targets.valid,
            targets.valid.defined() ? pass.labeledPositivesPerImage : torch::Tensor());
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
