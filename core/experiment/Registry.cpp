#include "core/experiment/Registry.h"

#include "core/common/Error.h"
#include "core/common/Paths.h"
#include "core/common/ProcessIdentity.h"
#include "core/experiment/RegistrySchema.h"
#include "core/experiment/SqliteStatement.h"

#include <sqlite3.h>

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <limits>
#include <map>
#include <random>
#include <sstream>

namespace mtl {
namespace {

const char* const kRunColumns =
    "SELECT id, name, status, config_yaml, run_dir, device, seed, host, pid, message, "
    "created_at, finished_at, split_json, uid, git_commit, library_versions, process_start, notes, "
    "started_at FROM runs ";

double timeOrZero(double t) { return std::isnan(t) ? 0 : t; }

RunRecord readRun(const SqliteStatement& s, const std::string& path) {
    RunRecord r;
    r.id = s.integer(0);
    r.name = s.text(1);
    try {
        r.status = runStatusFromString(s.text(2));
    } catch (const Error& e) {
        throw Error("registry " + path + ": run " + std::to_string(r.id) + ": " + e.what());
    }
    r.configYaml = s.text(3);
    r.runDir = s.text(4);
    r.device = s.text(5);
    r.seed = s.integer(6);
    r.host = s.text(7);
    r.pid = s.integer(8);
    r.message = s.text(9);
    r.createdAt = timeOrZero(s.real(10));
    r.finishedAt = timeOrZero(s.real(11));
    r.splitJson = s.text(12);
    r.uid = s.text(13);
    r.gitCommit = s.text(14);
    r.libraryVersions = s.text(15);
    r.processStart = s.integer(16);
    r.notes = s.text(17);
    r.startedAt = timeOrZero(s.real(18));
    return r;
}

std::vector<MetricPoint> readSeries(SqliteStatement& s) {
    std::vector<MetricPoint> out;
    while (s.step())
        out.push_back({s.integer(0), s.real(1), s.real(2)});
    return out;
}

std::string newUid() {
    std::random_device device;
    std::ostringstream out;
    for (int i = 0; i < 4; ++i) out << std::hex << std::setw(8) << std::setfill('0') << device();
    return out.str();
}

} // namespace

template <>
const EnumTable<RunStatus>& enumTable<RunStatus>() {
    static const EnumTable<RunStatus> t{"run status",
                                        {{"queued", RunStatus::Queued},
                                         {"running", RunStatus::Running},
                                         {"finished", RunStatus::Finished},
                                         {"failed", RunStatus::Failed},
                                         {"interrupted", RunStatus::Interrupted},
                                         {"diverged", RunStatus::Diverged}}};
    return t;
}

std::string toString(RunStatus s) { return nameOf(s); }

const std::vector<RunStatus>& allRunStatuses() {
    static const std::vector<RunStatus> all = [] {
        std::vector<RunStatus> v;
        for (const auto& entry : enumTable<RunStatus>().names) v.push_back(entry.second);
        return v;
    }();
    return all;
}

// mtl::Error, not InputError: an unknown status is a registry written by something else.
RunStatus runStatusFromString(const std::string& s) {
    if (const auto v = findName<RunStatus>(s)) return *v;
    throw Error("unknown run status '" + s + "'");
}

bool isResumable(RunStatus s) {
    // A diverged run resumed from its last good checkpoint would diverge again at the same step.
    return s == RunStatus::Interrupted || s == RunStatus::Failed || s == RunStatus::Queued;
}

Registry::Registry(const std::string& path) : path_(path) {
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(parent, ec);
        if (ec)
            throw Error("registry " + path + ": cannot create folder " + parent.string() + ": " +
                        ec.message());
    }
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr) != SQLITE_OK) {
        const std::string msg = "registry " + path + ": cannot open: " +
                                (db_ ? sqlite3_errmsg(db_) : "out of memory");
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error(msg);
    }
    try {
        // Training processes, the GUI and mtlw share the file: a writer waits for another's commit
        // instead of failing.
        sqlite3_busy_timeout(db_, 30000);
        sqliteExec(db_, path_, "PRAGMA journal_mode=WAL");
        sqliteExec(db_, path_, "PRAGMA synchronous=NORMAL");
        sqliteExec(db_, path_, "PRAGMA foreign_keys=ON");
        migrateRegistry(db_, path_);
        markStaleRuns();
    } catch (...) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw;
    }
}

Registry::~Registry() { sqlite3_close(db_); }

std::string Registry::defaultPath() { return dataHome() + "/registry.sqlite"; }

int Registry::schemaVersion() const { return registrySchemaVersion(db_, path_); }
int Registry::currentSchemaVersion() { return latestRegistrySchemaVersion(); }

void Registry::requireRun(std::int64_t runId) const {
    SqliteStatement s(db_, path_, "SELECT 1 FROM runs WHERE id = ?1");
    if (!s.bind(1, runId).step())
        throw Error("registry " + path_ + ": no run with id " + std::to_string(runId));
}

int Registry::markStaleRuns() {
    SqliteStatement owned(db_, path_,
                          "SELECT id, pid, process_start FROM runs WHERE status IN (?1, ?2) AND host = ?3");
    owned.bind(1, toString(RunStatus::Running)).bind(2, toString(RunStatus::Queued)).bind(3, hostName());
    std::vector<std::int64_t> dead;
    while (owned.step())
        if (processIsGone(owned.integer(1), owned.integer(2))) dead.push_back(owned.integer(0));
    // The last metric written is the best guess of when the process died.
    SqliteStatement mark(db_, path_,
                         "UPDATE runs SET status = ?1, message = ?2, finished_at = COALESCE("
                         "(SELECT MAX(wall_time) FROM metrics WHERE run_id = ?3), started_at, ?4) "
                         "WHERE id = ?3 AND status IN (?5, ?6)");
    int marked = 0;
    for (std::int64_t id : dead) {
        mark.reset();
        mark.bind(1, toString(RunStatus::Interrupted))
            .bind(2, std::string("process ended while running"))
            .bind(3, id)
            .bind(4, epochSeconds())
            .bind(5, toString(RunStatus::Running))
            .bind(6, toString(RunStatus::Queued))
            .run();
        marked += sqlite3_changes(db_);
    }
    return marked;
}

std::int64_t Registry::createRun(const std::string& name, const std::string& configYaml,
                                 const std::string& runDir, const std::string& device,
                                 std::int64_t seed) {
    SqliteStatement s(db_, path_,
                      "INSERT INTO runs(name, status, config_yaml, run_dir, device, seed, created_at, "
                      "uid, host, pid, process_start) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    s.bind(1, name).bind(2, toString(RunStatus::Queued)).bind(3, configYaml).bind(4, runDir);
    s.bind(5, device).bind(6, seed).bind(7, epochSeconds()).bind(8, newUid()).bind(9, hostName());
    s.bind(10, currentPid()).bind(11, processStartTicks(currentPid())).run();
    return sqlite3_last_insert_rowid(db_);
}

void Registry::setRunDir(std::int64_t runId, const std::string& runDir) {
    SqliteStatement s(db_, path_, "UPDATE runs SET run_dir = ?1 WHERE id = ?2");
    s.bind(1, runDir).bind(2, runId).run();
    if (sqlite3_changes(db_) == 0) requireRun(runId);
}

void Registry::setRunSplit(std::int64_t runId, const std::string& splitJson) {
    SqliteStatement s(db_, path_, "UPDATE runs SET split_json = ?1 WHERE id = ?2");
    s.bind(1, splitJson).bind(2, runId).run();
    if (sqlite3_changes(db_) == 0) requireRun(runId);
}

void Registry::setRunMetadata(std::int64_t runId, const std::string& gitCommit,
                              const std::string& libraryVersions) {
    SqliteStatement s(db_, path_, "UPDATE runs SET git_commit = ?1, library_versions = ?2 WHERE id = ?3");
    s.bind(1, gitCommit).bind(2, libraryVersions).bind(3, runId).run();
    if (sqlite3_changes(db_) == 0) requireRun(runId);
}

void Registry::setStatus(std::int64_t runId, RunStatus status, const std::string& message) {
    const double t = epochSeconds();
    if (status == RunStatus::Running) {
        SqliteStatement s(db_, path_,
                          "UPDATE runs SET status = ?1, message = ?2, pid = ?3, host = ?4, "
                          "started_at = ?5, finished_at = NULL, process_start = ?7 WHERE id = ?6");
        s.bind(1, toString(status)).bind(2, message).bind(3, currentPid());
        s.bind(4, hostName()).bind(5, t).bind(6, runId).bind(7, processStartTicks(currentPid())).run();
    } else if (status == RunStatus::Queued) {
        SqliteStatement s(db_, path_,
                          "UPDATE runs SET status = ?1, message = ?2, finished_at = NULL, pid = ?4, "
                          "host = ?5, process_start = ?6 WHERE id = ?3");
        s.bind(1, toString(status)).bind(2, message).bind(3, runId).bind(4, currentPid());
        s.bind(5, hostName()).bind(6, processStartTicks(currentPid())).run();
    } else {
        SqliteStatement s(db_, path_,
                          "UPDATE runs SET status = ?1, message = ?2, finished_at = ?3 WHERE id = ?4");
        s.bind(1, toString(status)).bind(2, message).bind(3, t).bind(4, runId).run();
    }
    if (sqlite3_changes(db_) == 0) requireRun(runId);
}

void Registry::logMetrics(std::int64_t runId, std::int64_t step,
                          const std::vector<std::pair<std::string, double>>& values,
                          double wallTime) {
    if (values.empty()) return;
    SqliteTransaction tx(db_, path_);
    SqliteStatement s(db_, path_,
                      "INSERT INTO metrics(run_id, step, key, value, wall_time) VALUES(?1, ?2, ?3, ?4, ?5) "
                      "ON CONFLICT(run_id, key, step) DO UPDATE SET value = excluded.value, "
                      "wall_time = excluded.wall_time");
    for (const auto& [key, value] : values) {
        s.reset();
        s.bind(1, runId).bind(2, step).bind(3, key).bind(4, value).bind(5, wallTime).run();
    }
    tx.commit();
}

void Registry::truncateAfter(std::int64_t runId, std::int64_t step) {
    SqliteTransaction tx(db_, path_);
    SqliteStatement(db_, path_, "DELETE FROM metrics WHERE run_id = ?1 AND step > ?2").bind(1, runId).bind(2, step).run();
    SqliteStatement(db_, path_, "DELETE FROM class_results WHERE run_id = ?1 AND step > ?2")
        .bind(1, runId)
        .bind(2, step)
        .run();
    tx.commit();
}

std::vector<RunRecord> Registry::listRuns(const RunFilter& filter) const {
    // Unset filters are bound as NULL-equivalents that match every row.
    SqliteStatement s(db_, path_,
                      (std::string(kRunColumns) +
                       "WHERE (?1 = '' OR status = ?1) "
                       "AND (?2 = '' OR id IN (SELECT run_id FROM tags WHERE tag = ?2)) "
                       "AND (?3 = '' OR instr(name, ?3) > 0) ORDER BY id DESC")
                          .c_str());
    s.bind(1, filter.status ? toString(*filter.status) : std::string());
    s.bind(2, filter.tag).bind(3, filter.nameContains);
    std::vector<RunRecord> out;
    while (s.step()) out.push_back(readRun(s, path_));

    std::map<std::int64_t, std::vector<std::string>> tagsOf;
    SqliteStatement t(db_, path_, "SELECT run_id, tag FROM tags ORDER BY run_id, tag");
    while (t.step()) tagsOf[t.integer(0)].push_back(t.text(1));
    for (RunRecord& r : out)
        if (auto it = tagsOf.find(r.id); it != tagsOf.end()) r.tags = it->second;
    return out;
}

std::optional<RunRecord> Registry::run(std::int64_t runId) const {
    SqliteStatement s(db_, path_, (std::string(kRunColumns) + "WHERE id = ?1").c_str());
    s.bind(1, runId);
    if (!s.step()) return std::nullopt;
    RunRecord r = readRun(s, path_);
    r.tags = tags(runId);
    return r;
}

std::optional<RunRecord> Registry::runByUid(const std::string& uid) const {
    SqliteStatement s(db_, path_, (std::string(kRunColumns) + "WHERE uid = ?1").c_str());
    s.bind(1, uid);
    if (!s.step()) return std::nullopt;
    RunRecord r = readRun(s, path_);
    r.tags = tags(r.id);
    return r;
}

std::vector<std::string> Registry::metricKeys(std::int64_t runId) const {
    SqliteStatement s(db_, path_, "SELECT DISTINCT key FROM metrics WHERE run_id = ?1 ORDER BY key");
    s.bind(1, runId);
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

std::vector<MetricPoint> Registry::series(std::int64_t runId, const std::string& key) const {
    return seriesAfter(runId, key, std::numeric_limits<std::int64_t>::min());
}

std::vector<MetricPoint> Registry::seriesAfter(std::int64_t runId, const std::string& key,
                                               std::int64_t afterStep) const {
    SqliteStatement s(db_, path_,
                      "SELECT step, value, wall_time FROM metrics "
                      "WHERE run_id = ?1 AND key = ?2 AND step > ?3 ORDER BY step");
    s.bind(1, runId).bind(2, key).bind(3, afterStep);
    return readSeries(s);
}

std::vector<MetricRow> Registry::allMetrics(std::int64_t runId) const {
    SqliteStatement s(db_, path_,
                      "SELECT step, key, value, wall_time FROM metrics WHERE run_id = ?1 ORDER BY step, key");
    s.bind(1, runId);
    std::vector<MetricRow> out;
    while (s.step()) out.push_back({s.integer(0), s.text(1), s.real(2), s.real(3)});
    return out;
}

void Registry::removeRun(std::int64_t runId) {
    // Explicit rather than through the cascade alone: a file last written by a tool that left
    // foreign_keys off may already hold rows the cascade would not see.
    SqliteTransaction tx(db_, path_);
    for (const char* table : {"metrics", "tags", "class_results", "checkpoints", "artifacts"}) {
        const std::string sql = std::string("DELETE FROM ") + table + " WHERE run_id = ?1";
        SqliteStatement(db_, path_, sql.c_str()).bind(1, runId).run();
    }
    SqliteStatement(db_, path_, "DELETE FROM runs WHERE id = ?1").bind(1, runId).run();
    tx.commit();
}

} // namespace mtl
