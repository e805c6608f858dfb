#include "core/train/MeanTeacherMethod.h"

#include "core/train/UnsupervisedLoss.h"

namespace mtl {

namespace {
// Soft targets from probabilities N × C × h × w over the weak views of `t.views`; `known` (optional,
// N × h × w over the strong views) narrows where they are valid.
void setSoftTargets(TeacherTargets& t, const torch::Tensor& probabilities, const torch::Tensor& known = {}) {
    const WarpedTarget warped = warpTeacherProbabilities(t.views, probabilities);
    t.targets.valid = known.defined() ? warped.valid.logical_and(known) : warped.valid;
    t.targets.segSoft = warped.values * t.targets.valid.unsqueeze(1);
    t.targets.seg = warped.values.argmax(1).masked_fill(t.targets.valid.logical_not(), 255);
}
} // namespace

TeacherTargets MeanTeacherMethod::teach(MultiTaskModelImpl& teacher, AugmentedBatch views, const torch::Tensor& weak) const {
    TeacherTargets t;
    t.views = std::move(views);
    const MultiTaskOutput out = teacherForward(teacher, weak);
    if (!out.segLogits.defined()) return t;
    const auto probabilities = torch::softmax(out.segLogitsAtInputSize().to(torch::kFloat), 1);
    t.pseudo.seg = probabilities.argmax(1);
    setSoftTargets(t, probabilities);
    return t;
}

TeacherTargets MeanTeacherMethod::targetsFromLabels(AugmentedBatch views, PseudoLabels labels, int segClasses) const {
    TeacherTargets t;
    t.views = std::move(views);
    t.pseudo = std::move(labels);
    if (!t.pseudo.seg.defined()) return t;
    const auto labeled = t.pseudo.seg.ne(255);
    const auto oneHot = torch::one_hot(t.pseudo.seg.masked_fill(labeled.logical_not(), 0), segClasses)
                            .permute({0, 3, 1, 2})
                            .to(torch::kFloat) *
                        labeled.unsqueeze(1);
    // Bilinear mixing next to an unlabeled pixel loses mass: the targets are renormalised to sum 1.
    const auto known = warpTeacherLabels(t.views, t.pseudo.seg, 255).ne(255);
    setSoftTargets(t, oneHot, known);
    t.targets.segSoft = t.targets.segSoft / t.targets.segSoft.sum(1, true).clamp_min(1e-6);
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
