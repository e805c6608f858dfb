#pragma once
// One training or validation sample, in the form every data set produces.
#include <opencv2/core.hpp>

#include <algorithm>

#include <string>
#include <vector>

namespace mtl {

// Axis-aligned box in pixel coordinates with continuous edges: a box covering pixel columns
// x0..x1 inclusive has x1 = x1_pixel + 1 (so a 1-pixel object has width 1).
struct Box {
    float x1 = 0, y1 = 0, x2 = 0, y2 = 0;
    int cls = 0; // detection class, 0-based (Cityscapes: trainId - 11)
    // COCO "iscrowd": a region the data set marks as ignored (BDD100K's crowd and "other ..."
    // labels). Evaluation ignores detections matched to it; training never uses it as a target.
    bool crowd = false;
    float width() const { return x2 - x1; }
    float height() const { return y2 - y1; }
    float area() const { return width() * height(); }
};

// Intersection over union of two boxes; 0 when they do not overlap.
inline double boxIou(const Box& a, const Box& b) {
    const double w = double(std::min(a.x2, b.x2)) - double(std::max(a.x1, b.x1));
    const double h = double(std::min(a.y2, b.y2)) - double(std::max(a.y1, b.y1));
    if (w <= 0 || h <= 0) return 0;
    const double inter = w * h;
    return inter / (double(a.width()) * double(a.height()) + double(b.width()) * double(b.height()) - inter);
}

struct Detection {
    Box box;
    float score = 0;
};

struct Sample {
    std::string id;               // stable id, e.g. "aachen_000000_000019"
    cv::Mat image;                // CV_8UC3, RGB order; empty from Dataset::loadLabels
    cv::Size imageSize;           // the image's size, also when only the labels were read
    cv::Mat seg;                  // CV_8UC1 train ids, 255 = ignore; empty when not labeled
    std::vector<Box> boxes;       // detection ground truth
    bool hasSeg = false;          // labeled for segmentation
    bool hasDet = false;          // labeled for detection
};

} // namespace mtl
