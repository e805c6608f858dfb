#pragma once
// How good the teacher's pseudo-labels are, measured against labels the run hides from training
// (simulated partial-label settings only): the pseudo-label mIoU for segmentation and, for
// detection, precision and recall of the pseudo-boxes at IoU ≥ 0.5. Logged while training runs, it
// shows confirmation bias (paper, section 4.3) as it happens. Torch-free: it only ever sees labels
// handed to it for evaluation, never anything the loss uses.
#include "core/data/Sample.h"
#include "core/eval/BoxMatching.h"
#include "core/eval/SegmentationMetrics.h"

#include <cstdint>
#include <vector>

namespace mtl {


class PseudoLabelQuality {
public:
    explicit PseudoLabelQuality(int segClasses, int ignore = 255) : seg_(segClasses, ignore), segClasses_(segClasses), ignore_(ignore) {}
    // pseudo and hidden: CV_8UC1 of one size; hidden pixels equal to the ignore value do not count.
    void addSegmentation(const cv::Mat& pseudo, const cv::Mat& hidden);
    // The same for `images` images whose confusion (segClasses², row = hidden, column = pseudo) was
    // counted elsewhere, e.g. on the training device.
    void addSegmentationCounts(const std::vector<std::int64_t>& confusion, std::int64_t images);
    void addDetection(const std::vector<Detection>& pseudo, const std::vector<Box>& hidden);

    bool hasSegmentation() const { return segImages_ > 0; }
    bool hasDetection() const { return detImages_ > 0; }
    double segmentationMeanIoU() const { return seg_.meanIoU(); }
    // Precision is 1 and recall 1 when there is nothing to count (no pseudo-box, no hidden box).
    double precision() const;
    double recall() const;
    void reset();

private:
    SegmentationMetrics seg_;
    int segClasses_, ignore_;
    std::int64_t segImages_ = 0, detImages_ = 0;
    BoxMatchCounts boxes_;
};

} // namespace mtl
