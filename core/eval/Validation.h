#pragma once
// Runs a model over validation samples and scores the tasks it has (ValidationScorer). The model
// is a parameter: the student, or the EMA teacher of the semi-supervised methods.
#include "core/data/Sample.h"
#include "core/eval/PerImageScores.h"
#include "core/eval/ValidationReport.h"
#include "core/model/DetectionPostprocess.h"
#include "core/model/MultiTaskModel.h"

#include <vector>

namespace mtl {

// Each sample's image is the model input (eval.input_width × eval.input_height, or the full
// resolution); its labels (seg, boxes) and imageSize stay at the full resolution, what the metrics
// are computed at (core/model/ModelPrediction.h). Consecutive samples of equal input size are
// batched. Leaves the model in the mode it found it in. `perImage`, when given, receives each
// image's scores and the confusion matrix.
ValidationReport validate(MultiTaskModelImpl& model, const std::vector<Sample>& samples,
                          const torch::Device& device, const PostprocessOptions& postprocess,
                          int batchSize = 8, PerImageResults* perImage = nullptr);

} // namespace mtl
