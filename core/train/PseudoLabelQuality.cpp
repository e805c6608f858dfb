#include "core/train/PseudoLabelQuality.h"

#include <algorithm>
#include <numeric>

namespace mtl {
namespace {
double iou(const Box& a, const Box& b) {
    const double w = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
    const double h = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
    if (w <= 0 || h <= 0) return 0;
    const double inter = w * h;
    return inter / (double(a.area()) + double(b.area()) - inter);
}
} // namespace

BoxMatchCounts matchPseudoBoxes(const std::vector<Detection>& pseudo, const std::vector<Box>& truth,
                                double iouThreshold) {
    BoxMatchCounts c;
    c.predicted = static_cast<std::int64_t>(pseudo.size());
    std::vector<const Box*> targets;
    for (const Box& b : truth)
        if (!b.crowd) targets.push_back(&b);
    c.groundTruth = static_cast<std::int64_t>(targets.size());
    std::vector<std::size_t> order(pseudo.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return pseudo[a].score > pseudo[b].score; });
    std::vector<bool> taken(targets.size(), false);
    for (std::size_t i : order) {
        double best = iouThreshold;
        int bestIndex = -1;
        for (std::size_t g = 0; g < targets.size(); ++g) {
            if (taken[g] || targets[g]->cls != pseudo[i].box.cls) continue;
            const double v = iou(pseudo[i].box, *targets[g]);
            if (v >= best) {
                best = v;
                bestIndex = static_cast<int>(g);
            }
        }
        if (bestIndex >= 0) {
            taken[static_cast<std::size_t>(bestIndex)] = true;
            ++c.truePositives;
        }
    }
    return c;
}

void PseudoLabelQuality::addSegmentation(const cv::Mat& pseudo, const cv::Mat& hidden) {
    seg_.add(pseudo, hidden);
    ++segImages_;
}

void PseudoLabelQuality::addSegmentationCounts(const std::vector<std::int64_t>& confusion, std::int64_t images) {
    seg_.addConfusion(confusion);
    segImages_ += images;
}

void PseudoLabelQuality::addDetection(const std::vector<Detection>& pseudo, const std::vector<Box>& hidden) {
    const BoxMatchCounts c = matchPseudoBoxes(pseudo, hidden);
    boxes_.truePositives += c.truePositives;
    boxes_.predicted += c.predicted;
    boxes_.groundTruth += c.groundTruth;
    ++detImages_;
}

double PseudoLabelQuality::precision() const {
    return boxes_.predicted ? double(boxes_.truePositives) / double(boxes_.predicted) : 1.0;
}

double PseudoLabelQuality::recall() const {
    return boxes_.groundTruth ? double(boxes_.truePositives) / double(boxes_.groundTruth) : 1.0;
}

void PseudoLabelQuality::reset() {
    seg_ = SegmentationMetrics(segClasses_, ignore_);
    segImages_ = detImages_ = 0;
    boxes_ = {};
}

} // namespace mtl
