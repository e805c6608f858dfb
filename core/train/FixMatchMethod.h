#pragma once
// FixMatch* and Dense FixMatch (the paper's two methods): the teacher's hard pseudo-labels on the
// weak view — the argmax per pixel (below train.seg_pseudo_threshold: none), its boxes after NMS
// from train.pseudo_score_threshold — moved into the strong view through A∘α⁻¹; Lu is the
// cross-entropy over the pixels that carry a pseudo-label and focal + GIoU over the anchors matched
// to pseudo-boxes (UnsupervisedLoss.h). The two differ only in the strong view they are registered
// with (invariant or equivariant), which the augmenter draws, not this class.
#include "core/train/TrainingMethod.h"

namespace mtl {

// The teacher's hard pseudo-labels on the weak views `weak` of `views`, moved into their strong views.
TeacherTargets hardPseudoLabelTargets(MultiTaskModelImpl& teacher, AugmentedBatch views, const torch::Tensor& weak,
                                      const TeachingSettings& settings);
// Hard labels on the weak views of `views` (a teacher's, or the oracle's) moved into their strong views.
TeacherTargets hardTargets(AugmentedBatch views, PseudoLabels labels, const TeachingSettings& settings);

class FixMatchMethod final : public TrainingMethod {
public:
    explicit FixMatchMethod(TeachingSettings settings) : settings_(std::move(settings)) {}
    TeacherTargets teach(MultiTaskModelImpl& teacher, AugmentedBatch views, const torch::Tensor& weak) const override {
        return hardPseudoLabelTargets(teacher, std::move(views), weak, settings_);
    }
    TeacherTargets targetsFromLabels(AugmentedBatch views, PseudoLabels labels, int) const override {
        return hardTargets(std::move(views), std::move(labels), settings_);
    }
    UnsupervisedLosses unsupervisedLosses(const StrongViewPass& pass, LossMeter& meter) const override;

private:
    TeachingSettings settings_;
};

} // namespace mtl
