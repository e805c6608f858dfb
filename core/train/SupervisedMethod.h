#pragma once
// supervised: learns from the labels alone. The step never asks it for targets (its view rule gives
// the student no strong view); asked anyway, it has none to give.
#include "core/train/TrainingMethod.h"

namespace mtl {

class SupervisedMethod final : public TrainingMethod {
public:
    TeacherTargets teach(MultiTaskModelImpl&, AugmentedBatch views, const torch::Tensor&) const override {
        TeacherTargets t;
        t.views = std::move(views);
        return t;
    }
    UnsupervisedLosses unsupervisedLosses(const StrongViewPass&, LossMeter&) const override { return {}; }
};

} // namespace mtl
