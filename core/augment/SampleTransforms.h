#pragma once
// Geometric transforms of a whole sample (image, mask and boxes together), on the CPU.
// The batched, invertible tensor augmentation of the semi-supervised methods comes with issue 4.
#include "core/data/Sample.h"

namespace mtl {

// Resizes image (bilinear) and mask (nearest, labels stay exact) and scales boxes.
void resizeSample(Sample& sample, int width, int height);
// Resizes the image alone (bilinear, or area when shrinking), keeping mask, boxes and imageSize at
// the original resolution: a model input for evaluation against full-resolution labels.
void resizeImageOnly(Sample& sample, int width, int height);
// Mirrors image, mask and boxes left-right (continuous edges: x → W − x).
void flipSampleHorizontally(Sample& sample);

} // namespace mtl
