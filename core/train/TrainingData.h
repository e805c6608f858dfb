#pragma once
// Everything a run trains and validates on, decided before the first step: the training images
// (data set + split that hides labels), the pool the sampler draws from, the sampler, and the
// validation images. Torch-free; bad combinations are InputErrors naming the config key.
#include "core/data/BatchSampler.h"
#include "core/data/Dataset.h"
#include "core/data/DatasetLocator.h"
#include "core/data/LabelSplit.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/model/ModelSpec.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mtl {

struct TrainingData {
    std::shared_ptr<const Dataset> train; // labels hidden by the split, if any
    // The same images with every label, when a split hides some (null otherwise): for measuring
    // pseudo-label quality against the hidden labels (and the oracle control's targets).
    std::shared_ptr<const Dataset> allLabels;
    std::optional<LabelSplit> split;
    std::string splitJson;                // what the registry and the run folder keep; empty = disk labels
    std::vector<std::size_t> pool;        // training images the sampler draws from
    BatchSampler sampler;
    std::string summary;                  // one line for the run log
};

TrainingData prepareTrainingData(const ExperimentConfig& config, const DatasetLocation& where);

// A head needs images labeled for its task: without any, its loss would be zero at every step.
// InputError naming model.tasks.
void checkLabelsFor(const ModelSpec& spec, const Dataset& train, const std::string& dataset);

} // namespace mtl
