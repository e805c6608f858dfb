#include "core/experiment/RunSummary.h"

#include "core/common/Error.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/experiment/SeedGroups.h"

#include <nlohmann/json.hpp>

namespace mtl {


RunSummary summarizeRun(const RunRecord& record) {
    RunSummary s;
    s.record = record;
    s.seedGroup = "unreadable config of run " + std::to_string(record.id);
    s.groupName = record.name;
    try {
        // Through the schema, with its defaults: a key this run's schema did not have reads as its default.
        const ExperimentConfig c = parseExperimentConfig(record.configYaml, "run " + std::to_string(record.id));
        s.method = c.train.method.name();
        s.sampling = nameOf(c.train.sampling);
        s.luScope = c.train.method.learnsFromTeacher() ? nameOf(c.train.luScope) : "";
        s.dataset = c.data.dataset;
        s.setting = nameOf(c.data.split.setting);
        s.seedGroup = seedGroupKey(c);
        s.groupName = seedGroupName(record.name, c.seed);
    } catch (const Error&) {
        // A stored config this build cannot read (a newer schema's key) still lists, with defaults.
    }
    if (!record.splitJson.empty()) {
        const auto split = nlohmann::json::parse(record.splitJson, nullptr, /*allow_exceptions=*/false);
        if (split.is_object() && split.contains("counts") && split["counts"].is_object()) {
            const auto& counts = split["counts"];
            const auto count = [&](const char* key) {
                return counts.contains(key) && counts[key].is_number_integer() ? counts[key].get<long long>() : -1LL;
            };
            s.detLabels = count("det");
            s.segLabels = count("seg");
            s.bothLabels = count("both");
        }
        if (split.is_object() && split.contains("setting") && split["setting"].is_string())
            s.setting = split["setting"].get<std::string>();
    }
    return s;
}

std::vector<RunSummary> summarizeRuns(const std::vector<RunRecord>& records) {
    std::vector<RunSummary> out;
    out.reserve(records.size());
    for (const RunRecord& r : records) out.push_back(summarizeRun(r));
    return out;
}

std::vector<RunSummary> RunSummaryCache::update(const std::vector<RunRecord>& records) {
    std::unordered_map<std::int64_t, RunSummary> next;
    std::vector<RunSummary> out;
    out.reserve(records.size());
    for (const RunRecord& r : records) {
        const auto it = known_.find(r.id);
        RunSummary s;
        if (it != known_.end() && it->second.record.configYaml == r.configYaml && it->second.record.splitJson == r.splitJson) {
            s = std::move(it->second);
            s.record = r;
        } else {
            s = summarizeRun(r);
        }
        out.push_back(s);
        next.emplace(r.id, std::move(s));
    }
    known_ = std::move(next);
    return out;
}

} // namespace mtl
