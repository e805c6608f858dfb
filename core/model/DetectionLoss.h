#pragma once
// RetinaNet's training loss: sigmoid focal loss for the classification of every non-ignored anchor
// and generalized IoU loss of the decoded boxes of the foreground anchors.
#include "core/model/AnchorMatcher.h"

#include <torch/torch.h>

namespace mtl {

struct FocalLossOptions {
    double alpha = 0.25; // weight of the positive term (1 − alpha for negatives)
    double gamma = 2.0;  // focusing exponent on (1 − p_t)
};

// Element-wise: alpha_t · BCE(logits, targets) · (1 − p_t)^gamma, p_t = p·t + (1 − p)(1 − t).
torch::Tensor sigmoidFocalLoss(const torch::Tensor& logits, const torch::Tensor& targets,
                               const FocalLossOptions& options = {});

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
