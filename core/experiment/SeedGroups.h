#pragma once
// Seed groups: runs whose stored configs differ only in `seed` are repeats of one experiment,
// which tables and plots show as one (mean ± std over the seeds, n). The name differs too (a
// sweep names each cell "name seed=N"), and so may train.steps: a seed resumed for more steps
// stays in its group, and the group shows each member's step count; and so may train.init_from, as
// each seed of a burn-in starts from its own seed's run (whether it starts from one still counts).
// Tags and notes live in the
// registry, not in the config. Torch-free: the GUI groups the runs table and the plots the same way.
#include "core/experiment/ExperimentConfig.h"

#include <cstddef>
#include <string>
#include <vector>

namespace mtl {

// The config as stored, with seed, name and train.steps cleared and train.init_from reduced to
// whether it is set: equal keys, one group.
std::string seedGroupKey(const ExperimentConfig& config);

// Indices of `keys` grouped by equal key: groups in order of their first member, members in input
// order.
std::vector<std::vector<std::size_t>> groupByKey(const std::vector<std::string>& keys);

// A group's name from one member's: "table1 seed=2" -> "table1" (the sweep's seed label dropped).
std::string seedGroupName(const std::string& runName, std::int64_t seed);

} // namespace mtl
