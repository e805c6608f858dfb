#pragma once
// What the runs table shows of a registry run beyond its record: the method, sampling, label
// setting and data set read from its stored config, and its label counts from its stored split.
#include "core/experiment/Registry.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace mtl {

struct RunSummary {
    RunRecord record;
    std::string method = "supervised"; // train.method (configs without the key: supervised)
    std::string sampling;              // train.sampling
    std::string luScope;               // train.lu_scope; empty for supervised runs
    std::string setting;               // data.split.setting ("none": the labels on disk)
    std::string dataset;               // data.dataset
    long long detLabels = -1, segLabels = -1, bothLabels = -1; // from split_json; -1 = not recorded
    std::vector<std::string> tags;     // the registry has no tags yet: filled once it does
    // Its seed group (core/experiment/SeedGroups.h): equal keys are seeds of one experiment; a run
    // whose config cannot be read is a group of its own. The group's name: the run's without "seed=N".
    std::string seedGroup;
    std::string groupName;
};

// Never throws: an unreadable stored config or split leaves the fields at their defaults and the
// problem in record.message is untouched (the run list must show every run).
RunSummary summarizeRun(const RunRecord& record);
std::vector<RunSummary> summarizeRuns(const std::vector<RunRecord>& records);

// summarizeRuns for a list read again and again (the GUI refreshes every 2 s): a run whose stored
// config and split did not change is not parsed again.
class RunSummaryCache {
public:
    std::vector<RunSummary> update(const std::vector<RunRecord>& records);

private:
    std::unordered_map<std::int64_t, RunSummary> known_;
};

} // namespace mtl
