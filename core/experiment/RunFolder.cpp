#include "core/experiment/RunFolder.h"

#include "core/common/Error.h"
#include "core/common/JsonSupport.h"
#include "core/common/Paths.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <sys/stat.h>

namespace fs = std::filesystem;

namespace mtl {
namespace {

using jsonsupport::Node;

nlohmann::json numberOrNull(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

double numberOrNaN(const Node& parent, const char* key) {
    if (!parent.hasKey(key) || parent.json().at(key).is_null()) return std::numeric_limits<double>::quiet_NaN();
    return parent.key(key).number();
}

double modificationTime(const fs::path& path) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) return 0;
    return static_cast<double>(st.st_mtim.tv_sec) + 1e-9 * static_cast<double>(st.st_mtim.tv_nsec);
}

// "step,key,value,wall_time" rows as TrainingRun writes them.
std::vector<MetricRow> readMetricsCsv(const fs::path& path) {
    std::ifstream in(path);
    if (!in) throw InputError(path.string() + ": cannot read the file");
    std::vector<MetricRow> rows;
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (lineNo == 1 || line.empty()) continue;
        const auto bad = [&](const std::string& what) {
            return InputError(path.string() + ":" + std::to_string(lineNo) + ": " + what);
        };
        std::vector<std::string> cells;
        std::stringstream ss(line);
        for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
        if (cells.size() != 4) throw bad("expected step,key,value,wall_time");
        MetricRow r;
        try {
            std::size_t used = 0;
            r.step = std::stoll(cells[0], &used);
            if (used != cells[0].size()) throw bad("step '" + cells[0] + "' is not an integer");
            r.key = cells[1];
            r.value = cells[2] == "nan" || cells[2] == "-nan" ? std::numeric_limits<double>::quiet_NaN()
                                                                : std::stod(cells[2]);
            r.wallTime = std::stod(cells[3]);
        } catch (const std::logic_error&) {
            throw bad("not a number in '" + line + "'");
        }
        rows.push_back(r);
    }
    return rows;
}

// results.json: the last validation's per-class scores.
std::vector<ClassResult> readResults(const fs::path& path) {
    const auto json = jsonsupport::readFile(path.string());
    const std::string file = path.string();
    const Node root(json, file, "");
    root.requireObject();
    const std::int64_t step = root.key("step").integer();
    std::vector<ClassResult> out;
    const auto section = [&](const char* key, const char* task, const char* metric) {
        if (!root.hasKey(key)) return;
        const Node classes = root.key(key);
        classes.requireObject();
        for (const auto& [name, value] : classes.json().items())
            out.push_back({step, task, name, metric,
                           value.is_null() ? std::numeric_limits<double>::quiet_NaN() : value.get<double>()});
    };
    section("seg_per_class", "seg", "IoU");
    section("det_per_class", "det", "AP");
    return out;
}

} // namespace

namespace {
std::string folderName(std::int64_t id, const std::string& name) {
    std::string safe;
    for (char c : name) safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return std::to_string(id) + "-" + safe;
}
} // namespace

std::string createRunFolder(Registry& registry, std::int64_t id, const std::string& name, const std::string& configYaml,
                            std::string runsRoot, const std::string& runDir) {
    if (runsRoot.empty()) runsRoot = (fs::path(registry.path()).parent_path() / "runs").string();
    // Absolute: the registry may be read from another working directory.
    const std::string dir =
        fs::absolute(runDir.empty() ? fs::path(runsRoot) / folderName(id, name) : fs::path(runDir)).lexically_normal().string();
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        registry.setStatus(id, RunStatus::Failed, "cannot create " + dir + ": " + ec.message());
        throw Error("cannot create run folder " + dir + ": " + ec.message());
    }
    registry.setRunDir(id, dir);
    std::ofstream(fs::path(dir) / runfiles::kConfig) << configYaml;
    writeRunInfo(dir, *registry.run(id), {});
    return dir;
}

RunRecord resumableRun(Registry& registry, std::int64_t id) {
    const auto record = registry.run(id);
    if (!record) throw InputError("registry " + registry.path() + ": no run with id " + std::to_string(id));
    if (!isResumable(record->status))
        throw InputError("run " + std::to_string(id) + " is " + toString(record->status) +
                         (record->status == RunStatus::Running
                              ? " (pid " + std::to_string(record->pid) + " on " + record->host + ")"
                              : std::string()) +
                         ": only interrupted, failed or queued runs can be resumed");
    if (!fs::is_directory(record->runDir))
        throw InputError("run " + std::to_string(id) + ": its folder " + record->runDir + " is gone");
    return *record;
}

void writeRunInfo(const std::string& runDir, const RunRecord& run, const std::vector<CheckpointRecord>& checkpoints) {
    nlohmann::json j;
    j["uid"] = run.uid;
    j["name"] = run.name;
    j["status"] = toString(run.status);
    j["message"] = run.message;
    j["host"] = run.host;
    j["pid"] = run.pid;
    j["process_start"] = run.processStart;
    j["device"] = run.device;
    j["seed"] = run.seed;
    j["git_commit"] = run.gitCommit;
    j["library_versions"] = run.libraryVersions;
    j["created_at"] = run.createdAt;
    j["started_at"] = run.startedAt;
    j["finished_at"] = run.finishedAt;
    nlohmann::json list = nlohmann::json::array();
    for (const CheckpointRecord& c : checkpoints) {
        const fs::path p(c.path);
        const bool inside = p.parent_path() == fs::path(runDir);
        list.push_back({{"kind", c.kind}, {"step", c.step}, {"path", inside ? p.filename().string() : c.path},
                        {"metric", numberOrNull(c.metric)}, {"wall_time", c.wallTime}});
    }
    j["checkpoints"] = list;
    writeFileAtomically((fs::path(runDir) / runfiles::kInfo).string(), j.dump(2) + "\n");
}

RunSnapshot readRunFolder(const std::string& runDirText) {
    std::error_code ec;
    const fs::path dir = fs::weakly_canonical(fs::absolute(runDirText), ec);
    if (ec || !fs::is_directory(dir)) throw InputError(runDirText + ": not a run folder (no such folder)");
    const fs::path infoPath = dir / runfiles::kInfo;
    if (!fs::is_regular_file(infoPath))
        throw InputError(runDirText + ": not a run folder (no " + runfiles::kInfo + ")");
    const auto json = jsonsupport::readFile(infoPath.string());
    const std::string file = infoPath.string();
    const Node info(json, file, "");
    info.requireObject();

    RunSnapshot snap;
    RunRecord& r = snap.record;
    r.uid = info.key("uid").string();
    if (r.uid.empty()) info.key("uid").fail("must not be empty");
    r.name = info.key("name").string();
    try {
        r.status = runStatusFromString(info.key("status").string());
    } catch (const Error& e) {
        info.key("status").fail(e.what());
    }
    r.message = info.key("message").string();
    // A folder still marked running or queued was left by a process that did not end cleanly (or
    // is still going): it enters this registry as interrupted, and a later import updates it.
    if (r.status == RunStatus::Running || r.status == RunStatus::Queued) {
        r.message = "imported while marked " + toString(r.status) + " (its process was killed or is still going)";
        r.status = RunStatus::Interrupted;
    }
    r.host = info.key("host").string();
    r.pid = info.key("pid").integer();
    r.processStart = info.key("process_start").integer();
    r.device = info.key("device").string();
    r.seed = info.key("seed").integer();
    r.gitCommit = info.key("git_commit").string();
    r.libraryVersions = info.key("library_versions").string();
    r.createdAt = info.key("created_at").number();
    r.startedAt = info.key("started_at").number();
    r.finishedAt = info.key("finished_at").number();
    r.runDir = dir.string();
    if (fs::is_regular_file(dir / runfiles::kConfig)) r.configYaml = jsonsupport::readText((dir / runfiles::kConfig).string());
    if (fs::is_regular_file(dir / runfiles::kSplit)) r.splitJson = jsonsupport::readText((dir / runfiles::kSplit).string());

    const Node list = info.key("checkpoints");
    list.requireArray();
    for (std::size_t i = 0; i < list.size(); ++i) {
        const Node c = list.at(i);
        c.requireObject();
        const fs::path p(c.key("path").string());
        snap.checkpoints.push_back({c.key("kind").string(), c.key("step").integer(),
                                    (p.is_relative() ? dir / p : p).string(), numberOrNaN(c, "metric"),
                                    c.key("wall_time").number()});
    }
    if (fs::is_regular_file(dir / runfiles::kMetrics)) snap.metrics = readMetricsCsv(dir / runfiles::kMetrics);
    if (fs::is_regular_file(dir / runfiles::kResults)) snap.classResults = readResults(dir / runfiles::kResults);
    const std::pair<const char*, const char*> kinds[] = {{"config", runfiles::kConfig}, {"split", runfiles::kSplit},
                                                         {"metrics_csv", runfiles::kMetrics}, {"results", runfiles::kResults},
                                                         {"log", runfiles::kLog}};
    for (const auto& [kind, name] : kinds)
        if (fs::is_regular_file(dir / name)) snap.artifacts.push_back({kind, (dir / name).string(), modificationTime(dir / name)});
    return snap;
}

void truncateMetricsCsv(const std::string& path, std::int64_t step) {
    std::ifstream in(path);
    if (!in) return; // nothing written yet
    std::string kept, line;
    bool header = true;
    while (std::getline(in, line)) {
        if (header || line.empty()) {
            if (header) kept += line + "\n";
            header = false;
            continue;
        }
        std::int64_t rowStep = 0;
        try {
            rowStep = std::stoll(line.substr(0, line.find(',')));
        } catch (const std::logic_error&) {
            continue; // a row cut short by a kill: dropped
        }
        if (rowStep <= step) kept += line + "\n";
    }
    in.close();
    writeFileAtomically(path, kept);
}

} // namespace mtl
