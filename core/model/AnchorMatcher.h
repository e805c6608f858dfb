#pragma once
// Assigns ground-truth boxes to anchors (RetinaNet's IoU matcher) and builds the per-anchor
// training targets, for a whole batch at once on the device.
#include "core/data/Sample.h"

#include <torch/torch.h>

#include <vector>

namespace mtl {

constexpr int64_t kBackgroundAnchor = -1; // trained towards "no object"
constexpr int64_t kIgnoredAnchor = -2;    // IoU between the thresholds: no loss at all

struct MatcherThresholds {
    double foreground = 0.5; // best IoU ≥ this: matched to that box
    double background = 0.4; // best IoU < this: background
    bool allowLowQuality = true; // every box keeps the anchors of its highest IoU, however low
};

// iou: N × G × A (padding rows of ground truth hold −1). Returns N × A long: the index of the
// matched box, kBackgroundAnchor or kIgnoredAnchor. A box whose highest IoU is 0 rescues nothing.
torch::Tensor matchAnchors(const torch::Tensor& iou, const MatcherThresholds& thresholds = {});

struct GroundTruthBoxes {
    torch::Tensor boxes;   // N × G × 4 float (x1, y1, x2, y2), G = the most boxes of any image
    torch::Tensor classes; // N × G long, −1 in padding slots
    GroundTruthBoxes to(const torch::Device& device) const;
};

// Packs each image's boxes (on the CPU, pinned when asked), dropping boxes narrower or lower than
// minSide pixels: a degenerate box cannot be matched and would only disturb the low-quality rule.
GroundTruthBoxes padGroundTruth(const std::vector<std::vector<Box>>& boxesPerImage, float minSide = 1.f,
                                bool pinned = false);

struct AnchorTargets {
    torch::Tensor matches; // N × A long: matched box index, kBackgroundAnchor or kIgnoredAnchor
    torch::Tensor classes; // N × A long: class of the matched box, −1 where there is none
    torch::Tensor boxes;   // N × A × 4: the matched box; the anchor itself where there is none
};

// The matches assignAnchors uses: matchAnchors of the boxes' IoU with the anchors (padding slots
// never match). On a GPU as one batched computation; on the CPU images in parallel, each box against
// all anchors in vector registers, with the same arithmetic, hence the same matches, without the
// N × G × A tensors (G = the most boxes of any image) that made a step with a few hundred
// pseudo-boxes per image ten times slower.
torch::Tensor matchBoxesToAnchors(const GroundTruthBoxes& truth, const torch::Tensor& anchors,
                                  const MatcherThresholds& thresholds = {});
// The batched form alone, on any device: what matchBoxesToAnchors does off the CPU, and what the
// host path is compared with (tst_detection, bench_matcher).
torch::Tensor matchBoxesToAnchorsBatched(const GroundTruthBoxes& truth, const torch::Tensor& anchors,
                                         const MatcherThresholds& thresholds = {});

AnchorTargets assignAnchors(const GroundTruthBoxes& truth, const torch::Tensor& anchors,
                            const MatcherThresholds& thresholds = {});

} // namespace mtl
