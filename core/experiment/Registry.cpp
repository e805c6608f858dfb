#include "core/experiment/Registry.h"

#include "core/common/Paths.h"

#include "core/common/Error.h"
#include "core/experiment/SqliteStatement.h"

#include <sqlite3.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <signal.h>
#include <unistd.h>

namespace mtl {
namespace {

// Schema migrations, oldest first. Version N is reached by running step N-1; the version lives in
// PRAGMA user_version. Never edit a released step: append a new one.
const char* const kMigrations[] = {
    // 1: runs and their metric series.
    R"(CREATE TABLE runs(
           id INTEGER PRIMARY KEY AUTOINCREMENT,
           name TEXT NOT NULL,
           status TEXT NOT NULL,
           config_yaml TEXT,
           run_dir TEXT,
           device TEXT,
           seed INTEGER,
           host TEXT,
           pid INTEGER,
           message TEXT,
           created_at REAL,
           started_at REAL,
           finished_at REAL);
       CREATE TABLE metrics(
           run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
           step INTEGER NOT NULL,
           key TEXT NOT NULL,
           value REAL,
           wall_time REAL);
       CREATE INDEX metrics_run_key_step ON metrics(run_id, key, step);)",
    // 2: the label split a run trained with (JSON; empty = the labels on disk).
    "ALTER TABLE runs ADD COLUMN split_json TEXT;",
};
constexpr int kSchemaVersion = static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));

double now() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

std::string hostName() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0)
        return "localhost";
    return buf;
}

bool processIsGone(std::int64_t pid) {
    if (pid <= 0)
        return true; // a running run without a pid cannot be checked: nobody owns it
    if (pid == static_cast<std::int64_t>(getpid()))
        return false;
    // EPERM means the process exists but belongs to someone else.
    return kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

const char* const kRunColumns =
    "SELECT id, name, status, config_yaml, run_dir, device, seed, host, pid, message, "
    "created_at, finished_at, split_json FROM runs ";

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
    r.createdAt = std::isnan(s.real(10)) ? 0 : s.real(10);
    r.finishedAt = std::isnan(s.real(11)) ? 0 : s.real(11);
    r.splitJson = s.text(12);
    return r;
}

std::vector<MetricPoint> readSeries(SqliteStatement& s) {
    std::vector<MetricPoint> out;
    while (s.step())
        out.push_back({s.integer(0), s.real(1), s.real(2)});
    return out;
}

} // namespace

std::string toString(RunStatus s) {
    switch (s) {
    case RunStatus::Queued: return "queued";
    case RunStatus::Running: return "running";
    case RunStatus::Finished: return "finished";
    case RunStatus::Failed: return "failed";
    case RunStatus::Interrupted: return "interrupted";
    }
    return "unknown";
}

RunStatus runStatusFromString(const std::string& s) {
    for (RunStatus v : {RunStatus::Queued, RunStatus::Running, RunStatus::Finished,
                        RunStatus::Failed, RunStatus::Interrupted})
        if (toString(v) == s)
            return v;
    throw Error("unknown run status '" + s + "'");
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
        sqlite3_busy_timeout(db_, 5000);
        sqliteExec(db_, path_, "PRAGMA journal_mode=WAL");
        sqliteExec(db_, path_, "PRAGMA synchronous=NORMAL");
        sqliteExec(db_, path_, "PRAGMA foreign_keys=ON");

        for (int version = schemaVersion(); version < kSchemaVersion; version = schemaVersion()) {
            SqliteTransaction tx(db_, path_);
            // Another process may have migrated between our check and the lock.
            if (schemaVersion() == version) {
                sqliteExec(db_, path_, kMigrations[version]);
                const std::string setVersion =
                    "PRAGMA user_version=" + std::to_string(version + 1);
                sqliteExec(db_, path_, setVersion.c_str());
            }
            tx.commit();
        }
        if (schemaVersion() > kSchemaVersion)
            throw Error("registry " + path_ + ": schema version " +
                        std::to_string(schemaVersion()) + " is newer than this program's (" +
                        std::to_string(kSchemaVersion) + ")");

        SqliteStatement running(db_, path_, "SELECT id, pid FROM runs WHERE status = ?1 AND host = ?2");
        running.bind(1, toString(RunStatus::Running)).bind(2, hostName());
        std::vector<std::int64_t> dead;
        while (running.step())
            if (processIsGone(running.integer(1)))
                dead.push_back(running.integer(0));
        // The last metric written is the best guess of when the process died.
        SqliteStatement mark(db_, path_,
                       "UPDATE runs SET status = ?1, message = ?2, finished_at = COALESCE("
                       "(SELECT MAX(wall_time) FROM metrics WHERE run_id = ?3), started_at, ?4) "
                       "WHERE id = ?3 AND status = ?5");
        for (std::int64_t id : dead) {
            mark.reset();
            mark.bind(1, toString(RunStatus::Interrupted))
                .bind(2, std::string("process ended while running"))
                .bind(3, id)
                .bind(4, now())
                .bind(5, toString(RunStatus::Running))
                .run();
        }
    } catch (...) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw;
    }
}

Registry::~Registry() { sqlite3_close(db_); }

std::string Registry::defaultPath() { return dataHome() + "/registry.sqlite"; }

std::int64_t Registry::createRun(const std::string& name, const std::string& configYaml,
                                 const std::string& runDir, const std::string& device,
                                 std::int64_t seed) {
    SqliteStatement s(db_, path_,
                "INSERT INTO runs(name, status, config_yaml, run_dir, device, seed, created_at) "
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    s.bind(1, name).bind(2, toString(RunStatus::Queued)).bind(3, configYaml).bind(4, runDir);
    s.bind(5, device).bind(6, seed).bind(7, now()).run();
    return sqlite3_last_insert_rowid(db_);
}

void Registry::setRunDir(std::int64_t runId, const std::string& runDir) {
    SqliteStatement s(db_, path_, "UPDATE runs SET run_dir = ?1 WHERE id = ?2");
    s.bind(1, runDir).bind(2, runId).run();
    if (sqlite3_changes(db_) == 0)
        throw Error("registry " + path_ + ": no run with id " + std::to_string(runId));
}

void Registry::setRunSplit(std::int64_t runId, const std::string& splitJson) {
    SqliteStatement s(db_, path_, "UPDATE runs SET split_json = ?1 WHERE id = ?2");
    s.bind(1, splitJson).bind(2, runId).run();
    if (sqlite3_changes(db_) == 0)
        throw Error("registry " + path_ + ": no run with id " + std::to_string(runId));
}

void Registry::setStatus(std::int64_t runId, RunStatus status, const std::string& message) {
    const double t = now();
    if (status == RunStatus::Running) {
        SqliteStatement s(db_, path_,
                    "UPDATE runs SET status = ?1, message = ?2, pid = ?3, host = ?4, "
                    "started_at = ?5, finished_at = NULL WHERE id = ?6");
        s.bind(1, toString(status)).bind(2, message).bind(3, std::int64_t(getpid()));
        s.bind(4, hostName()).bind(5, t).bind(6, runId).run();
    } else if (status == RunStatus::Queued) {
        SqliteStatement s(db_, path_,
                    "UPDATE runs SET status = ?1, message = ?2, finished_at = NULL WHERE id = ?3");
        s.bind(1, toString(status)).bind(2, message).bind(3, runId).run();
    } else {
        SqliteStatement s(db_, path_,
                    "UPDATE runs SET status = ?1, message = ?2, finished_at = ?3 WHERE id = ?4");
        s.bind(1, toString(status)).bind(2, message).bind(3, t).bind(4, runId).run();
    }
    if (sqlite3_changes(db_) == 0)
        throw Error("registry " + path_ + ": no run with id " + std::to_string(runId));
}

void Registry::logMetrics(std::int64_t runId, std::int64_t step,
                          const std::vector<std::pair<std::string, double>>& values,
                          double wallTime) {
    if (values.empty())
        return;
    SqliteTransaction tx(db_, path_);
    SqliteStatement s(db_, path_,
                "INSERT INTO metrics(run_id, step, key, value, wall_time) "
                "VALUES(?1, ?2, ?3, ?4, ?5)");
    for (const auto& [key, value] : values) {
        s.reset();
        s.bind(1, runId).bind(2, step).bind(3, key).bind(4, value).bind(5, wallTime).run();
    }
    tx.commit();
}

std::vector<RunRecord> Registry::listRuns() const {
    SqliteStatement s(db_, path_, (std::string(kRunColumns) + "ORDER BY id DESC").c_str());
    std::vector<RunRecord> out;
    while (s.step())
        out.push_back(readRun(s, path_));
    return out;
}

std::optional<RunRecord> Registry::run(std::int64_t runId) const {
    SqliteStatement s(db_, path_, (std::string(kRunColumns) + "WHERE id = ?1").c_str());
    s.bind(1, runId);
    if (!s.step())
        return std::nullopt;
    return readRun(s, path_);
}

std::vector<std::string> Registry::metricKeys(std::int64_t runId) const {
    SqliteStatement s(db_, path_, "SELECT DISTINCT key FROM metrics WHERE run_id = ?1 ORDER BY key");
    s.bind(1, runId);
    std::vector<std::string> out;
    while (s.step())
        out.push_back(s.text(0));
    return out;
}

std::vector<MetricPoint> Registry::series(std::int64_t runId, const std::string& key) const {
    SqliteStatement s(db_, path_,
                "SELECT step, value, wall_time FROM metrics "
                "WHERE run_id = ?1 AND key = ?2 ORDER BY step");
    s.bind(1, runId).bind(2, key);
    return readSeries(s);
}

std::vector<MetricPoint> Registry::seriesAfter(std::int64_t runId, const std::string& key,
                                               std::int64_t afterStep) const {
    SqliteStatement s(db_, path_,
                "SELECT step, value, wall_time FROM metrics "
                "WHERE run_id = ?1 AND key = ?2 AND step > ?3 ORDER BY step");
    s.bind(1, runId).bind(2, key).bind(3, afterStep);
    return readSeries(s);
}

void Registry::removeRun(std::int64_t runId) {
    // Explicit rather than through the cascade alone: a file last written by a tool that left
    // foreign_keys off may already hold metrics the cascade would not see.
    SqliteTransaction tx(db_, path_);
    SqliteStatement(db_, path_, "DELETE FROM metrics WHERE run_id = ?1").bind(1, runId).run();
    SqliteStatement(db_, path_, "DELETE FROM runs WHERE id = ?1").bind(1, runId).run();
    tx.commit();
}

int Registry::schemaVersion() const {
    SqliteStatement s(db_, path_, "PRAGMA user_version");
    return s.step() ? static_cast<int>(s.integer(0)) : 0;
}

} // namespace mtl
