#pragma once
// One training or validation sample, in the form every data set produces.
#include <opencv2/core.hpp>

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
