#pragma once
// One-to-one matching of predicted boxes to reference boxes of the same class: how many predictions
// find a reference (pseudo-boxes against hidden labels; boxes predicted on a warped image against
// the warped boxes of the original's prediction). Torch-free.
#include "core/data/Sample.h"

#include <cstdint>
#include <vector>

namespace mtl {

struct BoxMatchCounts {
    std::int64_t truePositives = 0, predicted = 0, groundTruth = 0;
    double matchedIouSum = 0; // Σ IoU of the true positives' matches
};

// Greedy matching in descending score order: a predicted box is a true positive when it overlaps a
// still unmatched reference box of its class with IoU ≥ iouThreshold (the best such box). Crowd
// references are not counted.
// The same matching, one entry per prediction in descending score order (ties in input order):
// whether it found a reference and with which IoU (0 when not).
struct BoxMatch {
    std::size_t prediction = 0;
    bool matched = false;
    double iou = 0;
};
std::vector<BoxMatch> matchBoxes(const std::vector<Detection>& predictions, const std::vector<Box>& truth,
                                 double iouThreshold = 0.5);

BoxMatchCounts matchPseudoBoxes(const std::vector<Detection>& pseudo, const std::vector<Box>& truth,
                                double iouThreshold = 0.5);

} // namespace mtl
