// What the registry keeps beside runs and metrics: tags, notes, per-class results, checkpoints,
// artifacts, and whole runs merged from run folders.
#include "core/experiment/Registry.h"

#include "core/common/Error.h"
#include "core/experiment/RegistrySchema.h"
#include "core/experiment/SqliteStatement.h"

#include <sqlite3.h>

#include <cmath>
#include <limits>

namespace mtl {

void Registry::addTag(std::int64_t runId, const std::string& tag) {
    if (tag.empty()) throw InputError("a tag must not be empty");
    requireRun(runId);
    SqliteStatement(db_, path_, "INSERT OR IGNORE INTO tags(run_id, tag) VALUES(?1, ?2)")
        .bind(1, runId)
        .bind(2, tag)
        .run();
}

void Registry::removeTag(std::int64_t runId, const std::string& tag) {
    SqliteStatement(db_, path_, "DELETE FROM tags WHERE run_id = ?1 AND tag = ?2").bind(1, runId).bind(2, tag).run();
}

std::vector<std::string> Registry::tags(std::int64_t runId) const {
    SqliteStatement s(db_, path_, "SELECT tag FROM tags WHERE run_id = ?1 ORDER BY tag");
    s.bind(1, runId);
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

std::vector<std::string> Registry::allTags() const {
    SqliteStatement s(db_, path_, "SELECT DISTINCT tag FROM tags ORDER BY tag");
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

void Registry::setNotes(std::int64_t runId, const std::string& notes) {
    SqliteStatement(db_, path_, "UPDATE runs SET notes = ?1 WHERE id = ?2").bind(1, notes).bind(2, runId).run();
    if (sqlite3_changes(db_) == 0) requireRun(runId);
}

void Registry::recordClassResults(std::int64_t runId, const std::vector<ClassResult>& results) {
    SqliteTransaction tx(db_, path_);
    SqliteStatement s(db_, path_,
                      "INSERT OR REPLACE INTO class_results(run_id, step, task, class_name, metric, value) "
                      "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    for (const ClassResult& r : results) {
        s.reset();
        s.bind(1, runId).bind(2, r.step).bind(3, r.task).bind(4, r.className).bind(5, r.metric).bind(6, r.value).run();
    }
    tx.commit();
}

std::vector<ClassResult> Registry::classResults(std::int64_t runId, std::int64_t step) const {
    // rowid keeps the classes in the order they were recorded (the data set's class order).
    SqliteStatement s(db_, path_,
                      "SELECT step, task, class_name, metric, value FROM class_results WHERE run_id = ?1 "
                      "AND step = CASE WHEN ?2 < 0 THEN (SELECT MAX(step) FROM class_results WHERE run_id = ?1) "
                      "ELSE ?2 END ORDER BY task DESC, rowid");
    s.bind(1, runId).bind(2, step);
    std::vector<ClassResult> out;
    while (s.step()) out.push_back({s.integer(0), s.text(1), s.text(2), s.text(3), s.real(4)});
    return out;
}

void Registry::recordCheckpoint(std::int64_t runId, const std::string& kind, std::int64_t step,
                                const std::string& path, double metric) {
    requireRun(runId);
    SqliteStatement(db_, path_,
                    "INSERT OR REPLACE INTO checkpoints(run_id, kind, step, path, metric, wall_time) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(1, runId)
        .bind(2, kind)
        .bind(3, step)
        .bind(4, path)
        .bind(5, metric)
        .bind(6, epochSeconds())
        .run();
}

std::vector<CheckpointRecord> Registry::checkpoints(std::int64_t runId) const {
    SqliteStatement s(db_, path_,
                      "SELECT kind, step, path, metric, wall_time FROM checkpoints WHERE run_id = ?1 ORDER BY kind");
    s.bind(1, runId);
    std::vector<CheckpointRecord> out;
    while (s.step()) out.push_back({s.text(0), s.integer(1), s.text(2), s.real(3), s.real(4)});
    return out;
}

void Registry::recordArtifact(std::int64_t runId, const std::string& kind, const std::string& path) {
    requireRun(runId);
    SqliteStatement(db_, path_, "INSERT OR REPLACE INTO artifacts(run_id, kind, path, created_at) VALUES(?1, ?2, ?3, ?4)")
        .bind(1, runId)
        .bind(2, kind)
        .bind(3, path)
        .bind(4, epochSeconds())
        .run();
}

std::vector<ArtifactRecord> Registry::artifacts(std::int64_t runId) const {
    SqliteStatement s(db_, path_, "SELECT kind, path, created_at FROM artifacts WHERE run_id = ?1 ORDER BY kind");
    s.bind(1, runId);
    std::vector<ArtifactRecord> out;
    while (s.step()) out.push_back({s.text(0), s.text(1), s.real(2)});
    return out;
}

std::int64_t Registry::mergeRun(const RunSnapshot& snap) {
    const RunRecord& r = snap.record;
    if (r.uid.empty()) throw Error("registry " + path_ + ": a merged run needs its uid");
    SqliteTransaction tx(db_, path_);
    std::int64_t id = 0;
    {
        SqliteStatement find(db_, path_, "SELECT id FROM runs WHERE uid = ?1");
        if (find.bind(1, r.uid).step()) id = find.integer(0);
    }
    if (id == 0) {
        SqliteStatement(db_, path_, "INSERT INTO runs(uid, name, status) VALUES(?1, ?2, ?3)")
            .bind(1, r.uid)
            .bind(2, r.name)
            .bind(3, toString(r.status))
            .run();
        id = sqlite3_last_insert_rowid(db_);
    }
    const auto timeOrNull = [](double t) { return t > 0 ? t : std::numeric_limits<double>::quiet_NaN(); };
    SqliteStatement(db_, path_,
                    "UPDATE runs SET name = ?2, status = ?3, config_yaml = ?4, run_dir = ?5, device = ?6, "
                    "seed = ?7, host = ?8, pid = ?9, process_start = ?10, message = ?11, created_at = ?12, "
                    "started_at = ?13, finished_at = ?14, split_json = ?15, git_commit = ?16, "
                    "library_versions = ?17 WHERE id = ?1")
        .bind(1, id)
        .bind(2, r.name)
        .bind(3, toString(r.status))
        .bind(4, r.configYaml)
        .bind(5, r.runDir)
        .bind(6, r.device)
        .bind(7, r.seed)
        .bind(8, r.host)
        .bind(9, r.pid)
        .bind(10, r.processStart)
        .bind(11, r.message)
        .bind(12, timeOrNull(r.createdAt))
        .bind(13, timeOrNull(r.startedAt))
        .bind(14, timeOrNull(r.finishedAt))
        .bind(15, r.splitJson)
        .bind(16, r.gitCommit)
        .bind(17, r.libraryVersions)
        .run();
    // Tags and notes belong to this registry's user: a re-import keeps them.
    for (const char* table : {"metrics", "class_results", "checkpoints", "artifacts"}) {
        const std::string sql = std::string("DELETE FROM ") + table + " WHERE run_id = ?1";
        SqliteStatement(db_, path_, sql.c_str()).bind(1, id).run();
    }
    SqliteStatement metric(db_, path_,
                           "INSERT OR REPLACE INTO metrics(run_id, step, key, value, wall_time) VALUES(?1, ?2, ?3, ?4, ?5)");
    for (const MetricRow& m : snap.metrics) {
        metric.reset();
        metric.bind(1, id).bind(2, m.step).bind(3, m.key).bind(4, m.value).bind(5, m.wallTime).run();
    }
    SqliteStatement cls(db_, path_,
                        "INSERT OR REPLACE INTO class_results(run_id, step, task, class_name, metric, value) "
                        "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    for (const ClassResult& c : snap.classResults) {
        cls.reset();
        cls.bind(1, id).bind(2, c.step).bind(3, c.task).bind(4, c.className).bind(5, c.metric).bind(6, c.value).run();
    }
    SqliteStatement ckpt(db_, path_,
                         "INSERT OR REPLACE INTO checkpoints(run_id, kind, step, path, metric, wall_time) "
                         "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    for (const CheckpointRecord& c : snap.checkpoints) {
        ckpt.reset();
        ckpt.bind(1, id).bind(2, c.kind).bind(3, c.step).bind(4, c.path).bind(5, c.metric).bind(6, c.wallTime).run();
    }
    SqliteStatement art(db_, path_,
                        "INSERT OR REPLACE INTO artifacts(run_id, kind, path, created_at) VALUES(?1, ?2, ?3, ?4)");
    for (const ArtifactRecord& a : snap.artifacts) {
        art.reset();
        art.bind(1, id).bind(2, a.kind).bind(3, a.path).bind(4, a.createdAt).run();
    }
    tx.commit();
    return id;
}

} // namespace mtl
