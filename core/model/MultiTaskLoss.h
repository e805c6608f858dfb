#pragma once
// The supervised multi-task loss (the paper's supervised baseline, after UberNet): each task's loss
// over the samples labeled for that task only; a task no sample of the batch is labeled for
// contributes zero.
#include "core/model/AnchorMatcher.h"
#include "core/model/DetectionLoss.h"
#include "core/model/MultiTaskModel.h"
#include "core/model/SegmentationLoss.h"

namespace mtl {

struct MultiTaskLosses {
    torch::Tensor seg;                  // cross-entropy over labeled pixels
    torch::Tensor detClassification;    // focal loss
    torch::Tensor detRegression;        // generalized IoU loss
    // Σ positive anchors over the detection-labeled images, and how many images that is (float
    // scalars; their ratio is train/det_positives, the positives per image).
    torch::Tensor detPositives, detImages;
    torch::Tensor segPixels; // labeled pixels: what seg is a mean over (float scalar)
    torch::Tensor total() const { return seg + detClassification + detRegression; }
};

// segLabels: N × H × W long (255 = ignore or not labeled); boxes: ground truth on the output's
// device; hasDet: N bools. Terms of heads the model lacks are zero.
MultiTaskLosses multiTaskLosses(MultiTaskModelImpl& model, const MultiTaskOutput& out,
                                const torch::Tensor& segLabels, const GroundTruthBoxes& boxes,
                                const torch::Tensor& hasDet, const MatcherThresholds& matcher = {});

} // namespace mtl
