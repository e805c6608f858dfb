#include "core/experiment/RegistrySchema.h"

#include "core/common/Error.h"
#include "core/experiment/SqliteStatement.h"

#include <chrono>

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
    // 3: provenance (uid, program version, libraries, owner's start time), notes, tags, per-class
    // results, checkpoints, artifacts; one metric value per (run, key, step).
    R"(ALTER TABLE runs ADD COLUMN uid TEXT;
       UPDATE runs SET uid = lower(hex(randomblob(16)));
       CREATE UNIQUE INDEX runs_uid ON runs(uid);
       ALTER TABLE runs ADD COLUMN git_commit TEXT;
       ALTER TABLE runs ADD COLUMN library_versions TEXT;
       ALTER TABLE runs ADD COLUMN process_start INTEGER;
       ALTER TABLE runs ADD COLUMN notes TEXT;
       CREATE TABLE tags(
           run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
           tag TEXT NOT NULL,
           PRIMARY KEY(run_id, tag));
       CREATE INDEX tags_tag ON tags(tag);
       CREATE TABLE class_results(
           run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
           step INTEGER NOT NULL,
           task TEXT NOT NULL,
           class_name TEXT NOT NULL,
           metric TEXT NOT NULL,
           value REAL,
           PRIMARY KEY(run_id, step, task, class_name));
       CREATE TABLE checkpoints(
           run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
           kind TEXT NOT NULL,
           step INTEGER NOT NULL,
           path TEXT NOT NULL,
           metric REAL,
           wall_time REAL,
           PRIMARY KEY(run_id, kind));
       CREATE TABLE artifacts(
           run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
           kind TEXT NOT NULL,
           path TEXT NOT NULL,
           created_at REAL,
           PRIMARY KEY(run_id, kind));
       DELETE FROM metrics WHERE rowid NOT IN
           (SELECT MAX(rowid) FROM metrics GROUP BY run_id, key, step);
       DROP INDEX IF EXISTS metrics_run_key_step;
       CREATE UNIQUE INDEX metrics_run_key_step ON metrics(run_id, key, step);)",
};
constexpr int kSchemaVersion = static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));

} // namespace

int registrySchemaVersion(sqlite3* db, const std::string& path) {
    SqliteStatement s(db, path, "PRAGMA user_version");
    return s.step() ? static_cast<int>(s.integer(0)) : 0;
}

int latestRegistrySchemaVersion() { return kSchemaVersion; }

void migrateRegistry(sqlite3* db, const std::string& path) {
    const auto newer = [&](int version) {
        return Error("registry " + path + ": schema version " + std::to_string(version) +
                     " is newer than this program's (" + std::to_string(kSchemaVersion) +
                     "); use a newer mtlw or another registry file");
    };
    for (int version = registrySchemaVersion(db, path); version < kSchemaVersion;
         version = registrySchemaVersion(db, path)) {
        SqliteTransaction tx(db, path);
        // Another process may have migrated between our check and the lock.
        if (registrySchemaVersion(db, path) == version) {
            sqliteExec(db, path, kMigrations[version]);
            const std::string setVersion = "PRAGMA user_version=" + std::to_string(version + 1);
            sqliteExec(db, path, setVersion.c_str());
        }
        tx.commit();
    }
    if (const int version = registrySchemaVersion(db, path); version > kSchemaVersion) throw newer(version);
}

double epochSeconds() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

} // namespace mtl
