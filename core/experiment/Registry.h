#pragma once
// The experiment registry: every run, its resolved config, metrics, per-class results, checkpoints,
// tags and notes, in one SQLite file. One Registry object = one connection; use one per thread.
// Several processes may share the file (WAL mode, busy timeout); every statement is prepared with
// bound parameters, so names, tags and notes are stored verbatim whatever they contain.
#include "core/common/EnumNames.h"
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

struct sqlite3;

namespace mtl {

// queued → running → finished | failed | interrupted | diverged (a NaN/Inf loss).
enum class RunStatus { Queued, Running, Finished, Failed, Interrupted, Diverged };
template <> const EnumTable<RunStatus>& enumTable<RunStatus>();
std::string toString(RunStatus s);
RunStatus runStatusFromString(const std::string& s); // throws mtl::Error on unknown text
const std::vector<RunStatus>& allRunStatuses();
// Whether a run in this state can be continued with `mtlw run --resume`.
bool isResumable(RunStatus s);

struct RunRecord {
    std::int64_t id = 0;
    std::string uid;          // random, unique across registries: how an imported folder is recognised
    std::string name;
    RunStatus status = RunStatus::Queued;
    std::string configYaml;   // fully resolved config
    std::string runDir;       // folder with config, checkpoint and metrics
    std::string device;       // "cpu", "cuda:0"
    std::int64_t seed = 0;
    std::string host;         // owner: host, pid and the pid's start time (to detect dead runs)
    std::int64_t pid = 0;
    std::int64_t processStart = 0;
    std::string message;      // error text for failed runs, reason of interrupted or diverged ones
    double createdAt = 0;     // seconds since the epoch
    double startedAt = 0;     // 0 while never started
    double finishedAt = 0;    // 0 while not finished
    std::string splitJson;    // label split it trained with (LabelSplit JSON); empty = labels on disk
    std::string gitCommit;    // project version (git describe) of the program that ran it
    std::string libraryVersions;
    std::string notes;
    std::vector<std::string> tags; // sorted
};

struct MetricPoint {
    std::int64_t step = 0;
    double value = 0;
    double wallTime = 0; // seconds since the epoch
};

struct MetricRow {
    std::int64_t step = 0;
    std::string key;
    double value = 0;
    double wallTime = 0;
};

// One class's score at a validation step: task "seg" (metric "IoU") or "det" (metric "AP").
struct ClassResult {
    std::int64_t step = 0;
    std::string task, className, metric;
    double value = 0; // NaN = class absent from the validation set
};

// "last" (written periodically and at the end) or "best" (best validation score so far).
struct CheckpointRecord {
    std::string kind;
    std::int64_t step = 0;
    std::string path;
    double metric = 0; // NaN when the kind has no score (last)
    double wallTime = 0;
};

struct ArtifactRecord {
    std::string kind; // "config", "log", "metrics_csv", "results", "split", ...
    std::string path;
    double createdAt = 0;
};

// Empty fields match every run.
struct RunFilter {
    std::optional<RunStatus> status;
    std::string tag;
    std::string nameContains;
};

// A whole run as a folder describes it, for RunImporter: written in one transaction.
struct RunSnapshot {
    RunRecord record; // uid must be set; id is ignored
    std::vector<MetricRow> metrics;
    std::vector<ClassResult> classResults;
    std::vector<CheckpointRecord> checkpoints;
    std::vector<ArtifactRecord> artifacts;
};

class Registry {
public:
    // Opens or creates the database (and its folder), applies migrations (a database of a newer
    // schema is refused), then marks stale runs interrupted (markStaleRuns).
    explicit Registry(const std::string& path);
    ~Registry();
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    // $XDG_DATA_HOME/mtl-workbench/registry.sqlite (~/.local/share when XDG_DATA_HOME is unset).
    static std::string defaultPath();
    const std::string& path() const { return path_; }
    int schemaVersion() const;
    static int currentSchemaVersion();

    // Queued, owned by this process (a queue that dies with its runs leaves them stale).
    std::int64_t createRun(const std::string& name, const std::string& configYaml,
                           const std::string& runDir, const std::string& device, std::int64_t seed);
    void setRunDir(std::int64_t runId, const std::string& runDir);
    void setRunSplit(std::int64_t runId, const std::string& splitJson);
    // The program and libraries that run it (recorded when it starts).
    void setRunMetadata(std::int64_t runId, const std::string& gitCommit, const std::string& libraryVersions);
    // Running records this process's pid, start time and host; terminal states record finishedAt.
    void setStatus(std::int64_t runId, RunStatus status, const std::string& message = {});
    // Queued or running runs whose owning process on this host is gone become interrupted; returns
    // how many. Runs owned by other hosts are left alone (their pid means nothing here).
    int markStaleRuns();

    // All values of one step in one transaction. A value already stored for (run, key, step) is
    // replaced, so the series never holds a step twice.
    void logMetrics(std::int64_t runId, std::int64_t step,
                    const std::vector<std::pair<std::string, double>>& values, double wallTime);
    // Drops metrics and per-class results after `step` (a resume from that step's checkpoint
    // writes them again).
    void truncateAfter(std::int64_t runId, std::int64_t step);

    std::vector<RunRecord> listRuns(const RunFilter& filter = {}) const; // newest first
    std::optional<RunRecord> run(std::int64_t runId) const;
    std::optional<RunRecord> runByUid(const std::string& uid) const;
    std::vector<std::string> metricKeys(std::int64_t runId) const; // sorted
    std::vector<MetricPoint> series(std::int64_t runId, const std::string& key) const; // by step
    // Points with step > afterStep (for live polling by other processes).
    std::vector<MetricPoint> seriesAfter(std::int64_t runId, const std::string& key,
                                         std::int64_t afterStep) const;
    std::vector<MetricRow> allMetrics(std::int64_t runId) const; // by step, then key
    void removeRun(std::int64_t runId);

    // Tags and notes (free text, stored verbatim).
    void addTag(std::int64_t runId, const std::string& tag); // adding twice is harmless
    void removeTag(std::int64_t runId, const std::string& tag);
    std::vector<std::string> tags(std::int64_t runId) const; // sorted
    std::vector<std::string> allTags() const;                // sorted, each once
    void setNotes(std::int64_t runId, const std::string& notes);

    void recordClassResults(std::int64_t runId, const std::vector<ClassResult>& results);
    // Results of one validation step; step < 0 = the latest step that has any.
    std::vector<ClassResult> classResults(std::int64_t runId, std::int64_t step = -1) const;
    // One checkpoint per kind and run: recording a kind again replaces it.
    void recordCheckpoint(std::int64_t runId, const std::string& kind, std::int64_t step,
                          const std::string& path, double metric);
    std::vector<CheckpointRecord> checkpoints(std::int64_t runId) const; // by kind
    void recordArtifact(std::int64_t runId, const std::string& kind, const std::string& path);
    std::vector<ArtifactRecord> artifacts(std::int64_t runId) const; // by kind

    // Inserts the run, or replaces the run with the same uid and everything recorded for it; one
    // transaction. Returns the run's id (kept when replacing).
    std::int64_t mergeRun(const RunSnapshot& snapshot);

private:
    void requireRun(std::int64_t runId) const; // Error naming the id when there is none
    std::string path_;
    sqlite3* db_ = nullptr;
};

} // namespace mtl
