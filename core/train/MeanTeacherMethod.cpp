#include "core/train/MeanTeacherMethod.h"

#include "core/train/UnsupervisedLoss.h"

namespace mtl {

TeacherTargets MeanTeacherMethod::teach(MultiTaskModelImpl& teacher, AugmentedBatch views, const torch::Tensor& weak) const {
    TeacherTargets t;
    t.views = std::move(views);
    const MultiTaskOutput out = teacherForward(teacher, weak);
    if (!out.segLogits.defined()) return t;
    const auto probabilities = torch::softmax(out.segLogitsAtInputSize().to(torch::kFloat), 1);
    t.pseudo.seg = probabilities.argmax(1);
    const WarpedTarget warped = warpTeacherProbabilities(t.views, probabilities);
    t.targets.segSoft = warped.values;
    t.targets.valid = warped.valid;
    t.targets.seg = warped.values.argmax(1).masked_fill(warped.valid.logical_not(), 255);
    return t;
}

torch::Tensor softConsistencyLoss(const torch::Tensor& studentLogits, const torch::Tensor& targets,
                                  const torch::Tensor& valid, const torch::Tensor& selected) {
    const auto squared = (torch::softmax(studentLogits.to(torch::kFloat), 1) - targets).pow(2).sum(1); // N × H × W
    const auto counted = valid.logical_and(selected.view({-1, 1, 1})).to(torch::kFloat);
    return (squared * counted).sum() / counted.sum().clamp_min(1);
}

UnsupervisedLosses MeanTeacherMethod::unsupervisedLosses(const StrongViewPass& pass, LossMeter& meter) const {
    UnsupervisedLosses l;
    const StrongViewTargets& targets = pass.taught.targets;
    if (!targets.segSoft.defined()) return l;
    l.seg = softConsistencyLoss(pass.output.segLogitsAtInputSize(), targets.segSoft, targets.valid, pass.segSelected);
    l.segCount = countTargetPixels(targets.valid, pass.segSelected, meter);
    return l;
}

} // namespace mtl
