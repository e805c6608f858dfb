#pragma once
// Whether a detector's anchors can match a data set's boxes, before anyone trains: for each ground-
// truth box at the training scale, the best IoU any anchor reaches (RetinaNet's matcher makes an
// anchor positive at IoU >= 0.5, ignores it in [0.4, 0.5) and calls it background below, rescuing
// only each box's best anchor), and how many anchors reach 0.5. Torch-free: `mtlw dataset anchors`
// runs it without the model layer. The anchors are the model's own (core/model/AnchorShapes).
#include "core/data/Dataset.h"
#include "core/data/Sample.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/model/AnchorShapes.h"

#include <cstddef>
#include <string>
#include <vector>

namespace mtl {

// The detection ground truth of `data`'s labeled images as the network sees it when `config`
// trains: resized to train.input_width × input_height by the loader, then — when the run uses the
// augment section's views (semi-supervised, or supervised_views weak) — scaled by augment.scale_min,
// their geometric mean and scale_max (the box set once per scale). `scales` receives those factors.
// InputError when no image of `data` is labeled for detection.
std::vector<Box> trainingScaleBoxes(const Dataset& data, const ExperimentConfig& config, int threads,
                                    std::vector<double>* scales = nullptr);

struct CoverageCounts {
    std::size_t boxes = 0;
    std::size_t positive = 0; // best IoU >= 0.5
    std::size_t ignored = 0;  // best IoU in [0.4, 0.5)
    std::size_t low = 0;      // best IoU < 0.4
    std::size_t positiveAnchors = 0; // Σ over boxes of the anchors with IoU >= 0.5

    double share(std::size_t n) const { return boxes ? double(n) / double(boxes) : 0.0; }
    double positivesPerBox() const { return boxes ? double(positiveAnchors) / double(boxes) : 0.0; }
};

struct AnchorCoverage {
    CoverageCounts all;
    std::vector<CoverageCounts> perClass; // by Box::cls
    std::vector<CoverageCounts> perLevel; // by the level of each box's best anchor
};

// The best IoU of `box` with any anchor of `layout` (the anchor grid taken as unbounded: crops put
// boxes anywhere), and the level index of that anchor.
double bestAnchorIou(const Box& box, const AnchorLayout& layout, int* level = nullptr);
// How many anchors of `layout` have IoU >= threshold with `box`.
std::size_t anchorsAtLeast(const Box& box, const AnchorLayout& layout, double threshold);

// Crowd boxes are left out (training never targets them).
AnchorCoverage anchorCoverage(const std::vector<Box>& boxes, const AnchorLayout& layout, int numClasses);

// The cheapest change of `spec`'s anchors under which at least `target` of the boxes are covered —
// best anchor IoU >= 0.4, so that no box relies on the best-anchor rescue alone (boxes of a few
// pixels cannot reach 0.5 on a stride-4 grid at all): first a smaller anchor_size alone, then with a
// tall 3:1 ratio added, then also with the stride-4 level P2, then also with the smallest size tiled
// 2 × 2 per cell (anchor_density 2: 5/2 the head's outputs for 2 scales, but no finer level).
// `found` is false when none of these reaches the target; the best one tried is returned then.
struct AnchorSuggestion {
    ModelSpec spec;
    double coveredShare = 0;
    bool found = false;
};
AnchorSuggestion suggestAnchors(const std::vector<Box>& boxes, const ModelSpec& spec, double target = 0.95);

} // namespace mtl
