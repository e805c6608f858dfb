#pragma once
// Confusion-matrix segmentation metrics over train ids. Pixels whose ground truth is the ignore
// value never count. A class absent from both ground truth and prediction has no IoU (nullopt) and
// is left out of the mean.
#include <opencv2/core.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace mtl {

class SegmentationMetrics {
public:
    explicit SegmentationMetrics(int numClasses, int ignore = 255);
    // pred and gt: CV_8UC1 of equal size. Predictions outside [0, numClasses) count as wrong
    // for the ground-truth class (false negatives) and as nothing else.
    void add(const cv::Mat& pred, const cv::Mat& gt);
    // Adds pixel counts counted elsewhere (e.g. on a GPU): numClasses × numClasses, row = ground
    // truth, column = prediction, ignored pixels already left out. Error on another size.
    void addConfusion(const std::vector<std::int64_t>& counts);
    // Adds another instance's counts (same classes and ignore value), e.g. from a worker thread.
    void merge(const SegmentationMetrics& other);
    std::vector<std::optional<double>> iou() const;
    double meanIoU() const;   // mean over classes with a value; 0 when none has one
    double stdIoU() const;    // population std over the same classes
    std::int64_t count(int gtClass, int predClass) const;
    int numClasses() const { return n_; }

private:
    int n_, ignore_;
    std::vector<std::int64_t> confusion_; // row = gt, column = prediction
    std::vector<std::int64_t> invalidPred_; // per gt class: predictions outside [0, n)
};

} // namespace mtl
