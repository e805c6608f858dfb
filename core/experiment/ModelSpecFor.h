#pragma once
// The model a run's config describes, for the classes of its data set.
#include "core/data/Dataset.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/model/ModelSpec.h"

namespace mtl {

ModelSpec modelSpecFor(const ModelConfig& model, const ClassNames& classes);

} // namespace mtl
