#include "core/experiment/SeedGroups.h"

#include <map>

namespace mtl {

std::string seedGroupKey(const ExperimentConfig& config) {
    ExperimentConfig c = config;
    c.seed = 0;
    c.name.clear();
    c.train.steps = 0;
    // Each seed of a burn-in starts from its own seed's checkpoint: that it starts from one counts.
    if (!c.train.initFrom.empty()) c.train.initFrom = "(a checkpoint)";
    return toYaml(c);
}

std::vector<std::vector<std::size_t>> groupByKey(const std::vector<std::string>& keys) {
    std::vector<std::vector<std::size_t>> groups;
    std::map<std::string, std::size_t> groupOf;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const auto [it, added] = groupOf.emplace(keys[i], groups.size());
        if (added) groups.emplace_back();
        groups[it->second].push_back(i);
    }
    return groups;
}

std::string seedGroupName(const std::string& runName, std::int64_t seed) {
    const std::string label = " seed=" + std::to_string(seed);
    const std::size_t at = runName.find(label);
    if (at == std::string::npos) return runName;
    const std::size_t end = at + label.size();
    if (end < runName.size() && runName[end] != ' ') return runName; // "seed=12" is not "seed=1"
    return runName.substr(0, at) + runName.substr(end);
}

} // namespace mtl
