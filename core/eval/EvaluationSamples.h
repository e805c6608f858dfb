#pragma once
// The samples a model is scored on, held in memory: images at the model's evaluation input size,
// labels at full resolution. Validation during training and `mtlw eval` read splits through it.
#include "core/data/Dataset.h"

#include <string>
#include <vector>

namespace mtl {

// Up to `limit` samples (0 = all) of a split for evaluation, decoded on `threads` threads, in data
// set order: only the images are resized to width × height (0 × 0: kept at full resolution);
// labels and imageSize stay at full resolution (core/model/ModelPrediction.h). Under
// OnDataError::Skip unreadable samples are left out and their messages appended to `skipped`.
std::vector<Sample> loadForEvaluation(const Dataset& data, int width, int height, int limit, int threads,
                                      OnDataError onError, std::vector<std::string>& skipped);

} // namespace mtl
