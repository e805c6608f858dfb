#pragma once
// The seam between learning methods: what differs between them inside a training step. A method
// gives the targets the teacher hands the student's strong views, and the unsupervised losses Lu,t
// on them. SemiSupervisedStep keeps what every method shares: the views (Augmenter), which samples'
// views the student sees (StudentViews.h), the student's one pass, Ls,t, λ, the weighting across
// processes and the logging; TrainingRun the EMA teacher. A method's names and needs are registered
// in core/experiment/LearningMethod.cpp, its step in MethodRegistry.cpp, under one config name
// (docs/ARCHITECTURE.md: "Adding a learning method").
#include "core/augment/Augmenter.h"
#include "core/model/DetectionPostprocess.h"
#include "core/model/MultiTaskModel.h"
#include "core/train/LossMeter.h"
#include "core/train/PseudoLabels.h"

#include <vector>

namespace mtl {

// What the teacher gives a batch's samples at a step.
struct TeacherTargets {
    AugmentedBatch views;      // the samples' weak and strong views
    PseudoLabels pseudo;       // hard labels on the weak views: what the quality against hidden labels measures
    StrongViewTargets targets; // moved into the strong views: what Lu trains on
};

// What the config says about teaching, for any method that reads it.
struct TeachingSettings {
    PostprocessOptions pseudoBoxes; // scoreThreshold = the pseudo-box threshold
    double segPseudoThreshold = 0;  // pixels below this teacher confidence carry no pseudo-label
    bool segLossOverValidPixels = false; // train.seg_unsup_normalization valid: Σ CE / every valid pixel
    bool pseudoBoxNegatives = false; // anchors matching no pseudo-box: background where the teacher saw
    BoxFilter boxFilter;            // the augment section's, for boxes moved into the strong view
};

// The student's strong-view pass, as Lu sees it.
struct StrongViewPass {
    const MultiTaskOutput& output; // the student's outputs on the strong views (rows = targets' rows)
    MultiTaskModelImpl& student;   // its anchors
    const TeacherTargets& taught;
    // The rows each task's Lu runs over (train.lu_scope): device bools, and the detection ones on
    // the host, where counting pseudo-boxes needs no device read.
    torch::Tensor segSelected, detSelected;
    std::vector<bool> detSelectedOnHost;
    // Positive anchors per detection-labeled image of the step's Ls: with train.pseudo_box_negatives
    // only (undefined otherwise, and when the step has no detection-labeled image).
    torch::Tensor labeledPositivesPerImage;
};

// Lu,t and what each is a mean over in this process (pixels, images), undefined where the method
// has no loss for the task.
struct UnsupervisedLosses {
    torch::Tensor seg, detClassification, detRegression;
    torch::Tensor segCount, detCount;
};

class TrainingMethod {
public:
    virtual ~TrainingMethod() = default;
    // The targets for every sample of `views` from the teacher's output on their normalised weak
    // views `weak` (N × 3 × h × w, the same rows).
    virtual TeacherTargets teach(MultiTaskModelImpl& teacher, AugmentedBatch views, const torch::Tensor& weak) const = 0;
    // The targets of a teacher that is always right (train.pseudo_source: oracle): `labels` are the
    // samples' own labels seen in their weak views (seg: train ids below `segClasses`, 255 where a
    // pixel has none; boxes scored 1), taken as the teacher's output there and moved into the strong
    // views as the method moves its teacher's.
    virtual TeacherTargets targetsFromLabels(AugmentedBatch views, PseudoLabels labels, int segClasses) const = 0;
    // Lu,t of one step; diagnostics of the targets used go to `meter` (pseudo/…).
    virtual UnsupervisedLosses unsupervisedLosses(const StrongViewPass& pass, LossMeter& meter) const = 0;
};

} // namespace mtl
