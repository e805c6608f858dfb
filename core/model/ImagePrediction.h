#pragma once
// What a model predicts for one image, at the size of the image's labels (Torch-free, for the GUI).
#include "core/data/Sample.h"

#include <vector>

namespace mtl {

struct ImagePrediction {
    cv::Mat labels;                    // CV_8UC1 train ids at the label size; empty without a seg head
    std::vector<Detection> detections; // label-size pixels, descending score; empty without a det head
};

} // namespace mtl
