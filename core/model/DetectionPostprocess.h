#pragma once
// From the detection head's outputs to boxes: per level, scores above a threshold, the best top-k
// decoded and clipped; then class-wise NMS over all levels and the best detections per image.
#include "core/data/Sample.h"

#include <torch/torch.h>

#include <array>
#include <vector>

namespace mtl {

struct PostprocessOptions {
    double scoreThreshold = 0.05;
    int topKPerLevel = 1000;
    double nmsIou = 0.5;
    int detectionsPerImage = 300;
};

// classLogits N × A × K, boxDeltas N × A × 4, anchors A × 4 (level-major; anchorsPerLevel gives
// each level's count). Boxes are clipped to [0, imageWidth] × [0, imageHeight]; per image,
// detections come in descending score order.
std::vector<std::vector<Detection>> postprocessDetections(const torch::Tensor& classLogits,
                                                          const torch::Tensor& boxDeltas,
                                                          const torch::Tensor& anchors,
                                                          const std::vector<int64_t>& anchorsPerLevel,
                                                          int imageWidth, int imageHeight,
                                                          const PostprocessOptions& options = {});

} // namespace mtl
