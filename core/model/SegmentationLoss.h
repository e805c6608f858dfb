#pragma once
// The segmentation loss: cross-entropy of the logits, bilinearly resized to the labels' size.
#include <torch/torch.h>

namespace mtl {

// Cross-entropy of logits (bilinearly resized to the labels' size when it differs) over pixels
// whose label is not 255, in float32. Unlabeled samples carry 255 everywhere, which zeroes their
// loss. Returns 0, not NaN, when no pixel is labeled.
torch::Tensor segmentationLoss(const torch::Tensor& logits, const torch::Tensor& labels);

// Σ over the pixels whose label is not 255 of −log softmax(resize(logits))[label], the resize
// bilinear (align_corners false) from N × C × h × w to the labels' N × H × W. On the CPU (float
// logits) in one pass that never builds the N × C × H × W resized logits: resizing them, their
// log-softmax over channels and the loss's backward were 65 ms of a 200 ms quick-start step.
torch::Tensor resizedCrossEntropySum(const torch::Tensor& logits, const torch::Tensor& labels);

} // namespace mtl
