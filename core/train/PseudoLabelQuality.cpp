#include "core/train/PseudoLabelQuality.h"

#include <algorithm>
#include <numeric>

namespace mtl {

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
