#pragma once
// A finished (or running) run as the evaluation and table commands see it: its folder, the config
// it trained with (config.yaml) and its label split (split.json, empty when it trained on the
// labels on disk). Torch-free: the GUI uses it too.
#include "core/experiment/ExperimentConfig.h"

#include <cstdint>
#include <string>

namespace mtl {

struct StoredRun {
    std::string dir;
    std::int64_t id = 0;    // 0 when opened by folder and the folder name does not start with one
    std::string name;       // the config's name
    ExperimentConfig config;
    std::string configYaml; // the stored text, for keys this build's schema may not know
    std::string splitJson;
};

// `run` is a run id of the registry at `registryPath` or a run folder. InputError naming the run
// when the id is unknown, the folder has no config.yaml, or the config does not parse.
StoredRun openStoredRun(const std::string& run, const std::string& registryPath);
// The same for a folder alone.
StoredRun readStoredRun(const std::string& dir);

} // namespace mtl
