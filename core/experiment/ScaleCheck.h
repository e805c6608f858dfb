#pragma once
// Whether a run validates at the scale it trained at. Training sees images resized to
// train.input_width × input_height by the loader and — when it trains on the augment section's
// views — scaled again by augment.scale_min … scale_max; validation sees them at eval.input_width ×
// input_height (0 × 0: the source resolution). A network evaluated outside its training scales
// meets objects, and context (the ASPP's dilated taps), at sizes it never learnt.
#include "core/experiment/ExperimentConfig.h"

#include <string>

namespace mtl {

// The semi-supervised methods, and the supervised one with supervised_views weak, train on the
// augment section's views; the supervised one otherwise on the loader's images.
bool trainsOnAugmentedViews(const TrainConfig& train);

struct ScaleRange {
    double min = 1, max = 1;
    bool contains(double s) const { return s >= min * (1 - 1e-9) && s <= max * (1 + 1e-9); }
};

// Factors on the source image's width (x) and height (y) that training applies.
ScaleRange trainingScales(const ExperimentConfig& config, int sourceSize, int inputSize);
// Empty when validation's scale lies within the training scales on both axes; otherwise a warning
// naming the keys and the numbers. sourceWidth × sourceHeight: the data set's image size.
std::string evaluationScaleWarning(const ExperimentConfig& config, int sourceWidth, int sourceHeight);

} // namespace mtl
