#include "core/experiment/RunSummary.h"

#include "core/experiment/LearningMethod.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace mtl {

namespace {
std::string text(const YAML::Node& section, const char* key, const std::string& fallback) {
    if (!section || !section.IsMap() || !section[key] || !section[key].IsScalar()) return fallback;
    return section[key].as<std::string>();
}
} // namespace

RunSummary summarizeRun(const RunRecord& record) {
    RunSummary s;
    s.record = record;
    try {
        const YAML::Node root = YAML::Load(record.configYaml);
        if (root.IsMap()) {
            const YAML::Node train = root["train"], data = root["data"];
            s.method = text(train, "method", "supervised");
            s.sampling = text(train, "sampling", "implicit");
            const auto method = LearningMethod::find(s.method);
            s.luScope = method && !method->learnsFromTeacher() ? "" : text(train, "lu_scope", "unlabeled");
            s.dataset = text(data, "dataset", "");
            s.setting = text(data && data.IsMap() ? data["split"] : YAML::Node(), "setting", "none");
        }
    } catch (const YAML::Exception&) {
        // The stored config is written by toYaml; a broken one still lists with defaults.
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
