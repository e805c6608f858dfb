#pragma once
// RetinaNet's training loss: sigmoid focal loss for the classification of every non-ignored anchor
// and generalized IoU loss of the decoded boxes of the foreground anchors.
#include "core/model/AnchorMatcher.h"
#include "core/model/FocalLoss.h"

#include <torch/torch.h>

namespace mtl {

struct DetectionLosses {
    torch::Tensor classification; // scalar
    torch::Tensor regression;     // scalar
};

// Per image, each loss is summed and divided by max(1, number of foreground anchors) — or by at least
// `minimumDivisor` (a scalar tensor) when it is defined —; the result is the mean over the images
// selected by `labeled` (N bools) and zero when none is selected — the supervised baseline's loss
// zeroing for images not labeled for detection. Computed in float32 whatever the logits' precision.
DetectionLosses detectionLosses(const torch::Tensor& classLogits, const torch::Tensor& boxDeltas,
                                const torch::Tensor& anchors, const AnchorTargets& targets,
                                const torch::Tensor& labeled, const FocalLossOptions& options = {},
                                const torch::Tensor& minimumDivisor = {});

} // namespace mtl
