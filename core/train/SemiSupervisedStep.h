#pragma once
// One training step of any method, up to the loss (the caller runs backward, the optimiser step
// and the teacher's EMA update). What every method shares is here: Ls,t over the samples labeled
// for t (loss zeroing), on the loader's images or on the weak view α (train.supervised_views); for
// a method that learns from a teacher, the weak and strong views, the teacher's targets and Lu,t,
// which the method gives (TrainingMethod.h: supervised, FixMatch*, Dense FixMatch, …).
// L = Σt γt (Ls,t + λ Lu,t), λ the sigmoid ramp-up (RampUp.h). The student runs once on the
// concatenated [weak; strong] batch, so BatchNorm sees both; which samples' views that batch holds
// is train.student_views (StudentViews.h). Every step adds its losses and
// diagnostics to the run's LossMeter as device tensors (no host synchronisation inside a step):
// L, Ls and Lu per task, λ, the share of pixels and the number of boxes used as pseudo-labels and,
// where the batch carries hidden labels, the pseudo-labels' quality against them.
#include "core/augment/Augmenter.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/model/AnchorMatcher.h"
#include "core/model/DetectionPostprocess.h"
#include "core/model/MultiTaskLoss.h"
#include "core/model/InputNormalizer.h"
#include "core/model/MultiTaskModel.h"
#include "core/train/BatchLoader.h"
#include "core/train/EmaTeacher.h"
#include "core/train/LossMeter.h"
#include "core/train/PseudoLabels.h"
#include "core/train/PseudoLabelQuality.h"
#include "core/train/StudentViews.h"
#include "core/train/TrainingMethod.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mtl {

class DataParallel;

struct SemiSupervisedOptions {
    LearningMethod method;              // supervised by default
    bool supervisedOnWeakViews = false; // supervised only: α from the augmenter instead of the loader's images
    bool luOnAllSamples = false;        // Lu,t over every sample, not only those unlabeled for t
    bool usedViewsOnly = false;         // student_views: used
    double segWeight = 1, detWeight = 1;
    std::int64_t rampSteps = 0;
    double unsupWeight = 1.0; // λ's maximum (train.unsup_weight)
    bool oracle = false;      // train.pseudo_source oracle: the samples' own labels instead of the teacher's
    PostprocessOptions pseudoBoxes;     // scoreThreshold = the pseudo-box threshold
    double segPseudoThreshold = 0;      // pixels below this teacher confidence carry no pseudo-label
    bool segLossOverValidPixels = false; // train.seg_unsup_normalization: valid
    bool pseudoBoxNegatives = false;    // anchors matching no pseudo-box: background where the teacher saw, not ignored
    std::uint64_t seed = 0;             // with the step, the augmentation's random parameters
    bool mixedPrecision = false;
};
SemiSupervisedOptions semiSupervisedOptions(const ExperimentConfig& config);

struct StepLosses {
    torch::Tensor seg, detClassification, detRegression;                  // Ls,t
    torch::Tensor detPositives, detImages;                                // MultiTaskLosses'
    torch::Tensor segUnsup, detUnsupClassification, detUnsupRegression;   // Lu,t (zero when supervised)
    // What each term is a mean over in this process's batch: labeled pixels, detection-labeled
    // images, pseudo-labeled pixels, images selected for the detection Lu.
    torch::Tensor segCount, segUnsupCount, detUnsupCount;
    double lambda = 0;
    torch::Tensor total;                                                  // Σt γt (Ls,t + λ Lu,t)
    ViewRows views; // the samples whose weak / strong view the student saw (strong: the teacher's too)
    StrongViewTargets targets; // the pseudo-labels Lu trained on, rows `views.strong` (semi-supervised)
};

class SemiSupervisedStep {
public:
    // Losses and diagnostics go to `meter` (train/loss, train/seg_loss, …, pseudo/…).
    SemiSupervisedStep(SemiSupervisedOptions options, const AugmentOptions& augment, MultiTaskModelImpl& student,
                       EmaTeacher& teacher, const torch::Device& device, LossMeter& meter);

    bool usesAugmenter() const;
    // Data-parallel training: each batch is this process's shard of a global batch (BatchLoader's
    // shardPositions); the augmentation draws for the global batch, and every loss term becomes the
    // global batch's mean once the processes' gradients and logged values are averaged.
    void distribute(DataParallel* parallel) { parallel_ = parallel; }
    // The loss of one batch at `step` (0-based). The batch's hidden labels, if any, are compared
    // with the pseudo-labels, and are Lu's targets only under train.pseudo_source: oracle.
    StepLosses losses(const TrainBatch& batch, std::int64_t step);
    // What the teacher gives every sample of `batch` at `step`, exactly as losses() gives the
    // samples whose strong view the student sees (the same views, pseudo-labels and move): the
    // teacher snapshots' strong-view maps.
    TeacherTargets teach(const TrainBatch& batch, std::int64_t step);
    // The teacher on the loader's images themselves (the image's own frame), with boxes down to
    // `boxThreshold` instead of the pseudo-box threshold.
    PseudoLabels teacherOnImages(const TrainBatch& batch, double boxThreshold);
    // Ends a logging period: adds what is not a mean of per-step values (λ, the pseudo-labels'
    // quality against hidden labels) to the meter, which the caller then reads.
    void closePeriod();

private:
    // The loader's batch on the device: moved once per step.
    struct DeviceBatch {
        torch::Tensor images, seg, hasSeg, hasDet;
    };
    StepLosses supervised(const torch::Tensor& input, const torch::Tensor& labels, const GroundTruthBoxes& boxes,
                          const torch::Tensor& hasDet);
    StepLosses semiSupervised(const TrainBatch& batch, const DeviceBatch& onDevice, const AugmentedBatch& views,
                              const torch::Tensor& weak, const ViewRows& rows, std::int64_t step);
    ViewRows viewRows(const TrainBatch& batch) const;
    // `sharded`: the batch is this process's shard of the step's global batch (training), not a
    // batch of its own (teacher snapshots).
    AugmentedBatch augment(const TrainBatch& batch, const DeviceBatch& onDevice, std::int64_t step, bool sharded);
    // Scales each term of this process's mean m_r over c_r items by W·c_r / Σ c: the processes'
    // average is then Σ c_r m_r / Σ c, the global batch's mean. One small all-reduce.
    void weighByGlobalCounts(StepLosses& l);
    // The teacher's pseudo-labels for the samples `rows` of `views` (weak: their normalised weak
    // views), and the same moved into their strong views (`taught`: those samples' views). With the
    // oracle, the labels `batch` has for them instead.
    TeacherTargets teachRows(const TrainBatch& batch, const AugmentedBatch& views, const torch::Tensor& weak,
                             const std::vector<std::int64_t>& rows);
    // Every label the samples `rows` of `batch` have, shown or hidden by the split, seen in their
    // weak views `weakOfRows`: what a teacher that is always right would give.
    PseudoLabels oracleLabels(const TrainBatch& batch, const std::vector<std::int64_t>& rows,
                              const AugmentedView& weakOfRows) const;
    // Lu,t on the student's strong-view outputs of the samples `strongRows`, into `l`.
    void unsupervisedPart(StepLosses& l, const MultiTaskOutput& outStrong, const TeacherTargets& taught,
                          const TrainBatch& batch, const DeviceBatch& onDevice,
                          const std::vector<std::int64_t>& strongRows);
    // `teacherRows`: the batch's samples the pseudo-labels belong to, in order.
    void measureQuality(const TrainBatch& batch, const AugmentedView& weakView, const torch::Tensor& pseudoSeg,
                        const std::vector<std::vector<Detection>>& pseudoBoxes,
                        const std::vector<std::int64_t>& teacherRows);
    // FixMatch's premise measured: the student's segmentation of the strong views `strong` (the
    // samples `rows` of `batch`) against their hidden labels, seen in the same views.
    void measureStudent(const TrainBatch& batch, const AugmentedView& strong, const MultiTaskOutput& outStrong,
                        const std::vector<std::int64_t>& rows);
    // Adds the confusion of `predicted` against `truth` (N × h × w, 255 = ignore) to `confusion`,
    // counted on the device: pixel (t, p) goes to bin t·C + p, ignored pixels to the extra bin C².
    void countConfusion(torch::Tensor& confusion, const torch::Tensor& truth, const torch::Tensor& predicted) const;
    static StepLosses supervisedPart(const MultiTaskLosses& s); // Ls,t and the detection positives
    void finish(StepLosses& l);

    SemiSupervisedOptions options_;
    std::unique_ptr<TrainingMethod> method_;
    Augmenter augmenter_;
    MultiTaskModelImpl& student_;
    EmaTeacher& teacher_;
    torch::Device device_;
    InputNormalizer normalize_;
    LossMeter& meter_;
    DataParallel* parallel_ = nullptr;
    bool semiSupervisedSteps_ = false; // in this logging period
    double lastLambda_ = 0;
    // Pseudo-label quality of the period (the teacher's on the weak views, the student's on the
    // strong views): segmentation confusion counted on the device.
    torch::Tensor segConfusion_, studentConfusion_;
    std::int64_t segQualityImages_ = 0, studentQualityImages_ = 0;
    PseudoLabelQuality quality_, studentQuality_;
};

} // namespace mtl
