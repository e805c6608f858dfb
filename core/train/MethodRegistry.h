#pragma once
// The registry of learning methods' steps, keyed by config name (train.method): what a step of the
// method configured does (TrainingMethod.h). The names and needs of the same methods are
// core/experiment/LearningMethod's; tst_methods checks that every one has a step here.
#include "core/experiment/LearningMethod.h"
#include "core/train/TrainingMethod.h"

#include <memory>
#include <string>
#include <vector>

namespace mtl {

// Throws InputError for a method with no registered step.
std::unique_ptr<TrainingMethod> makeTrainingMethod(LearningMethod method, const TeachingSettings& settings);
std::vector<std::string> registeredTrainingMethods(); // config names, in registration order

} // namespace mtl
