#pragma once
// The experiment registry: every run, its resolved config and its metrics, in one SQLite file.
// One Registry object = one connection; use one per thread. Several processes may share the file
// (WAL mode, busy timeout).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

struct sqlite3;

namespace mtl {

enum class RunStatus { Queued, Running, Finished, Failed, Interrupted };
std::string toString(RunStatus s);
RunStatus runStatusFromString(const std::string& s); // throws mtl::Error on unknown text

struct RunRecord {
    std::int64_t id = 0;
    std::string name;
    RunStatus status = RunStatus::Queued;
    std::string configYaml;   // fully resolved config
    std::string runDir;       // folder with config, checkpoint and metrics
    std::string device;       // "cpu", "cuda:0"
    std::int64_t seed = 0;
    std::string host;
    std::int64_t pid = 0;     // process running it (to detect dead runs)
    std::string message;      // error text for failed runs
    double createdAt = 0;     // seconds since the epoch
    double finishedAt = 0;    // 0 while not finished
    std::string splitJson;    // label split it trained with (LabelSplit JSON); empty = labels on disk
};

struct MetricPoint {
    std::int64_t step = 0;
    double value = 0;
    double wallTime = 0; // seconds since the epoch
};

class Registry {
public:
    // Opens or creates the database (and its folder), applies migrations. Runs left "running" by a
    // process that no longer exists on this host are marked interrupted.
    explicit Registry(const std::string& path);
    ~Registry();
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    // $XDG_DATA_HOME/mtl-workbench/registry.sqlite (~/.local/share when XDG_DATA_HOME is unset).
    static std::string defaultPath();
    const std::string& path() const { return path_; }

    std::int64_t createRun(const std::string& name, const std::string& configYaml,
                           const std::string& runDir, const std::string& device, std::int64_t seed);
    void setRunDir(std::int64_t runId, const std::string& runDir);
    void setRunSplit(std::int64_t runId, const std::string& splitJson);
    // Running records this process's pid and host; terminal states record finishedAt.
    void setStatus(std::int64_t runId, RunStatus status, const std::string& message = {});

    // All values of one step in one transaction.
    void logMetrics(std::int64_t runId, std::int64_t step,
                    const std::vector<std::pair<std::string, double>>& values, double wallTime);

    std::vector<RunRecord> listRuns() const;   // newest first
    std::optional<RunRecord> run(std::int64_t runId) const;
    std::vector<std::string> metricKeys(std::int64_t runId) const; // sorted
    std::vector<MetricPoint> series(std::int64_t runId, const std::string& key) const; // by step
    // Points with step > afterStep (for live polling by other processes).
    std::vector<MetricPoint> seriesAfter(std::int64_t runId, const std::string& key,
                                         std::int64_t afterStep) const;
    void removeRun(std::int64_t runId);

    int schemaVersion() const;

private:
    std::string path_;
    sqlite3* db_ = nullptr;
};

} // namespace mtl
