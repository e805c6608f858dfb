#pragma once
// Targets, loss and decoding of the dense detection head: one heatmap of object centres per class
// (CenterNet-style), plus box size and sub-cell centre offset at each centre.
#include "core/data/Sample.h"
#include "core/model/MultiTaskNet.h"

#include <vector>

namespace mtl {

struct CenterNetTargets {
    torch::Tensor heatmap; // N × K × h × w, Gaussian peaks of 1 at object centres
    torch::Tensor index;   // N × M long, flat centre cell (y·w + x) of each object slot
    torch::Tensor shape;   // N × M × 4: log w, log h (cells), offset x, offset y
    torch::Tensor valid;   // N × M float, 1 for slots holding an object
};

// Built on the CPU (the loader thread); boxes in input pixels.
CenterNetTargets encodeCenterNetTargets(const std::vector<std::vector<Box>>& boxesPerImage,
                                        int numClasses, int outHeight, int outWidth, int stride,
                                        int maxObjects = 128);

struct DetectionLoss {
    torch::Tensor heatmap; // penalty-reduced focal loss / number of objects
    torch::Tensor shape;   // L1 on size and offset at the centres / number of objects
};

// Loss over the images selected by `labeled` (N bools); zero tensors when none is selected.
DetectionLoss centerNetLoss(const MultiTaskOutput& out, const CenterNetTargets& targets,
                            const torch::Tensor& labeled);

// Peaks of the heatmap (3×3 local maxima) above scoreThreshold, best maxDets per image, as boxes
// in input pixels clipped to the image.
std::vector<std::vector<Detection>> decodeCenterNet(const MultiTaskOutput& out, int stride,
                                                    int imageWidth, int imageHeight,
                                                    double scoreThreshold, int maxDets = 100);

} // namespace mtl
