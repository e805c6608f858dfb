#pragma once
// Mean Teacher (Tarvainen and Valpola, 2017) with the equivariant warp, for segmentation: the
// student's class probabilities on the strong view are pulled towards the teacher's probabilities on
// the weak view, warped into the strong view through A∘α⁻¹ (bilinearly, as probabilities), by the
// squared error summed over classes and averaged over the valid pixels (inside both views and the
// image, outside cutout) of the samples selected for Lu. No threshold, no argmax: every pixel
// counts as much as the teacher is sure of it. Detection has no Mean Teacher loss here (a soft
// consistency between anchors needs anchors that correspond across the warp): the detection head
// learns from its labels alone, so the method refuses a detection-only model (LearningMethod.cpp).
#include "core/train/TrainingMethod.h"

namespace mtl {

class MeanTeacherMethod final : public TrainingMethod {
public:
    // Targets: segSoft = the warped probabilities, valid = where they exist, seg = their argmax
    // (255 where not valid: the teacher snapshots and pseudo/seg_mIoU read it); pseudo.seg = the
    // teacher's argmax on the weak view.
    TeacherTargets teach(MultiTaskModelImpl& teacher, AugmentedBatch views, const torch::Tensor& weak) const override;
    // The oracle's labels as one-hot probabilities, warped as the teacher's are; valid only where the
    // warped label exists.
    TeacherTargets targetsFromLabels(AugmentedBatch views, PseudoLabels labels, int segClasses) const override;
    UnsupervisedLosses unsupervisedLosses(const StrongViewPass& pass, LossMeter& meter) const override;
};

// Σc (p_c − q_c)² per pixel, averaged over the pixels where `valid` (N × H × W) holds in the samples
// `selected` (N bools); 0 when there is none. p: the softmax of the student's logits N × C × H × W
// (at the targets' size); q: the targets, the same shape.
torch::Tensor softConsistencyLoss(const torch::Tensor& studentLogits, const torch::Tensor& targets,
                                  const torch::Tensor& valid, const torch::Tensor& selected);

} // namespace mtl
