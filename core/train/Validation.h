#pragma once
// Runs a model over validation samples and scores it: mIoU over the 19 train ids, COCO mAP over
// the 8 detection classes, and their geometric mean (the paper's checkpoint criterion).
#include "core/data/Sample.h"
#include "core/model/MultiTaskNet.h"
#include "core/train/TrainingRun.h"

#include <vector>

namespace mtl {

// Leaves the model in the mode it found it in.
ValidationReport validate(MultiTaskNetImpl& model, const std::vector<Sample>& samples,
                          const torch::Device& device, double scoreThreshold, int batchSize = 8);

} // namespace mtl
