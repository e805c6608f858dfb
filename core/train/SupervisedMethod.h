#pragma once
// supervised: learns from the labels alone; the step gives the student no strong view and trains no
// Lu. Asked what its EMA teacher would teach (the teacher snapshots of a supervised run), it gives
// the hard pseudo-labels FixMatch* would train on, so that runs of every method can be compared.
#include "core/train/FixMatchMethod.h"

namespace mtl {

class SupervisedMethod final : public TrainingMethod {
public:
    explicit SupervisedMethod(TeachingSettings settings) : settings_(std::move(settings)) {}
    TeacherTargets teach(MultiTaskModelImpl& teacher, AugmentedBatch views, const torch::Tensor& weak) const override {
        return hardPseudoLabelTargets(teacher, std::move(views), weak, settings_);
    }
    TeacherTargets targetsFromLabels(AugmentedBatch views, PseudoLabels labels, int) const override {
        return hardTargets(std::move(views), std::move(labels), settings_);
    }
    UnsupervisedLosses unsupervisedLosses(const StrongViewPass&, LossMeter&) const override { return {}; }

private:
    TeachingSettings settings_;
};

} // namespace mtl
