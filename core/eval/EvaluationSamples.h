#pragma once
// The samples a model is scored on, held in memory: images at the model's evaluation input size,
// labels at full resolution. Validation during training and `mtlw eval` read splits through it.
#include "core/data/Dataset.h"
#include "core/data/DatasetLocator.h"
#include "core/experiment/ExperimentConfig.h"

#include <functional>
#include <string>
#include <vector>

namespace mtl {

// Up to `limit` samples (0 = all) of a split for evaluation, decoded on `threads` threads, in data
// set order: only the images are resized to width × height (0 × 0: kept at full resolution);
// labels and imageSize stay at full resolution (core/model/ModelPrediction.h). Under
// OnDataError::Skip unreadable samples are left out and their messages appended to `skipped`.
std::vector<Sample> loadForEvaluation(const Dataset& data, int width, int height, int limit, int threads,
                                      OnDataError onError, std::vector<std::string>& skipped);

// The validation split's images at eval.input_width × input_height (labels at full size), held in
// memory for the whole run; `say` hears what was loaded and skipped, and a warning when validation
// is outside the training scales (ScaleCheck.h).
std::vector<Sample> loadValidationImages(const ExperimentConfig& config, const DatasetLocation& where,
                                         const Dataset& train, const std::function<void(const std::string&)>& say);

} // namespace mtl
