#pragma once
// Runs a model over validation samples and scores the tasks it has: mIoU over the segmentation
// classes, COCO mAP over the detection classes, and their geometric mean (the paper's checkpoint
// criterion).
#include "core/data/Sample.h"
#include "core/model/DetectionPostprocess.h"
#include "core/model/MultiTaskModel.h"
#include "core/train/TrainingRun.h"

#include <vector>

namespace mtl {

// Leaves the model in the mode it found it in.
ValidationReport validate(MultiTaskModelImpl& model, const std::vector<Sample>& samples,
                          const torch::Device& device, const PostprocessOptions& postprocess,
                          int batchSize = 8);

} // namespace mtl
