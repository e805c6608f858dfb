#pragma once
// The configs the experiment designer queues: one base config × a label design × the chosen
// methods, samplings, Lu scopes and seeds. Each config is the base one with a few keys changed and
// parsed again through the schema, so a choice the schema does not know (a method of a branch not
// merged yet) is a ConfigError naming the key, never a silently different run.
#include "core/experiment/ExperimentConfig.h"

#include <string>
#include <vector>

namespace mtl {

struct GridRequest {
    std::string setting;              // a..e (SubsetDesign's settingOf)
    std::string det, seg;             // label counts as the config takes them: "93" or "all"
    std::vector<LearningMethod> methods; // train.method
    std::vector<Sampling> samplings;   // train.sampling
    std::vector<std::string> luScopes;  // train.lu_scope: unlabeled | all (semi-supervised only)
    std::vector<std::int64_t> seeds;  // run seed; also the split's seed
};

// One config per combination, named "<base name>-<setting>-d<det>-s<seg>-<method>-<sampling>
// [-lu<scope>]-seed<seed>". Supervised runs train on the labeled images only and ignore the Lu
// scope (one run however many scopes are picked); semi-supervised ones train on all images. Throws
// InputError when a list is empty, ConfigError when a value is not in the schema.
std::vector<ExperimentConfig> expandGrid(const ExperimentConfig& base, const GridRequest& request);

} // namespace mtl
