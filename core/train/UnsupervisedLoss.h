#pragma once
// The unsupervised losses Lu,t between the student's output on the strong view and the teacher's
// pseudo-labels moved into it, over the samples `selected` for the task (N bools: the samples not
// labeled for it, or all samples, as train.lu_scope says).
#include "core/model/AnchorMatcher.h"
#include "core/model/DetectionLoss.h"

#include <torch/torch.h>

namespace mtl {

class LossMeter;

// Cross-entropy over the pixels of selected samples whose pseudo-label is not 255 (the valid warped
// region), averaged over those pixels; 0 when there is none.
torch::Tensor unsupervisedSegmentationLoss(const torch::Tensor& strongLogits, const torch::Tensor& pseudoLabels,
                                           const torch::Tensor& selected);

// The pixels of the selected samples (N bools) where `hasTarget` (N × H × W bool) holds: their
// share of those samples' pixels goes to `meter` as pseudo/seg_pixel_share (over steps that select
// any sample); returns their number (float), what the segmentation Lu is a mean over.
torch::Tensor countTargetPixels(const torch::Tensor& hasTarget, const torch::Tensor& selected, LossMeter& meter);

// Background anchors become ignored: with a high score threshold most objects have no pseudo-box,
// and training their anchors towards "no object" would teach the detector to miss them. Only
// anchors matched to a pseudo-box carry loss (the paper's "positive targets only").
torch::Tensor positiveTargetsOnly(const torch::Tensor& matches);

// train.pseudo_box_negatives: background anchors stay background where `teacherSaw` (N × H × W
// bool over the strong view) holds at the anchor's centre and become ignored elsewhere. Without
// negatives nothing pushes a false pseudo-box down, and the student's confidence on it feeds the
// teacher's next pseudo-boxes (the runaway of docs/RESULTS.md).
torch::Tensor backgroundWhereTeacherSaw(const torch::Tensor& matches, const torch::Tensor& anchors,
                                        const torch::Tensor& teacherSaw);

// Focal + GIoU loss over the anchors matched to pseudo-boxes, per image normalised by its matched
// anchors, averaged over the selected images; zero when no image is selected. Background anchors
// are ignored, or, when `teacherSaw` is defined, trained as backgroundWhereTeacherSaw says, and
// then each image's divisor is at least `labeledPositives` (a scalar tensor: the positive anchors
// per detection-labeled image of the step, or undefined: 1). Early on the teacher gives most images
// no pseudo-box; divided by 1, their tens of thousands of background anchors would outweigh a
// labeled image's by its positive count (about 30) and teach the detector to find nothing.
DetectionLosses unsupervisedDetectionLosses(const torch::Tensor& classLogits, const torch::Tensor& boxDeltas,
                                            const torch::Tensor& anchors, const GroundTruthBoxes& pseudoBoxes,
                                            const torch::Tensor& selected, const MatcherThresholds& matcher = {},
                                            const torch::Tensor& teacherSaw = {},
                                            const torch::Tensor& labeledPositives = {});

} // namespace mtl
