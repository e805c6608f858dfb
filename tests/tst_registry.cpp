// The experiment registry: runs, statuses and metric series in SQLite.
#include "core/common/Error.h"
#include "core/experiment/Registry.h"

#include <QDateTime>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

using namespace mtl;

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }
QString statusName(RunStatus s) { return qs(toString(s)); }

std::string thisHost() {
    char buf[256] = {};
    gethostname(buf, sizeof buf - 1);
    return buf;
}

// Direct access to the file, to set up states the API never produces.
void rawExec(const QString& path, const std::string& sql) {
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const QString msg = err ? QString::fromUtf8(err) : QString();
    sqlite3_free(err);
    sqlite3_close(db);
    QVERIFY2(rc == SQLITE_OK, qPrintable(msg));
}

std::int64_t rawCount(const QString& path, const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open(path.toUtf8().constData(), &db);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    std::int64_t n = -1;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

std::string rawText(const QString& path, const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open(path.toUtf8().constData(), &db);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    std::string out;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

} // namespace

class TestRegistry : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    int counter_ = 0;
    QString freshPath() { return tmp_.filePath(QString("reg%1.sqlite").arg(++counter_)); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(tmp_.isValid()); }

    void statusText() {
        QCOMPARE(allRunStatuses().size(), std::size_t(6));
        for (RunStatus s : allRunStatuses())
            QVERIFY(runStatusFromString(toString(s)) == s);
        QCOMPARE(qs(toString(RunStatus::Interrupted)), QString("interrupted"));
        QCOMPARE(qs(toString(RunStatus::Diverged)), QString("diverged"));
        QVERIFY(isResumable(RunStatus::Interrupted));
        QVERIFY(isResumable(RunStatus::Failed));
        QVERIFY(!isResumable(RunStatus::Finished));
        QVERIFY(!isResumable(RunStatus::Running));
        QVERIFY(!isResumable(RunStatus::Diverged));
        QVERIFY_THROWS_EXCEPTION(Error, runStatusFromString("paused"));
    }

    void createAndReadBack() {
        const QString path = freshPath();
        Registry reg(path.toStdString());
        QCOMPARE(qs(reg.path()), path);
        const double before = QDateTime::currentMSecsSinceEpoch() / 1000.0;
        const std::string yaml = "train:\n  steps: 10\nname: \"a 'quoted' name\"\n";
        const auto a = reg.createRun("first", yaml, "/runs/a", "cpu", 42);
        const auto b = reg.createRun("second", "", "", "cuda:0", -7);
        const double after = QDateTime::currentMSecsSinceEpoch() / 1000.0;
        QVERIFY(a > 0);
        QVERIFY(b > a);

        const auto r = reg.run(a);
        QVERIFY(r.has_value());
        QCOMPARE(r->id, a);
        QCOMPARE(qs(r->name), QString("first"));
        QVERIFY(r->status == RunStatus::Queued);
        QCOMPARE(qs(r->configYaml), qs(yaml));
        QCOMPARE(qs(r->runDir), QString("/runs/a"));
        QCOMPARE(qs(r->device), QString("cpu"));
        QCOMPARE(r->seed, std::int64_t(42));
        // A queued run belongs to the process that created it (a queue that dies leaves it stale).
        QCOMPARE(qs(r->host), qs(thisHost()));
        QCOMPARE(r->pid, std::int64_t(getpid()));
        QVERIFY(r->processStart > 0);
        QCOMPARE(r->uid.size(), std::size_t(32));
        QVERIFY(r->uid != reg.run(b)->uid);
        QCOMPARE(qs(r->message), QString());
        QVERIFY(r->createdAt >= before - 1 && r->createdAt <= after + 1);
        QCOMPARE(r->finishedAt, 0.0);
        QCOMPARE(reg.run(b)->seed, std::int64_t(-7));
        QVERIFY(!reg.run(b + 100).has_value());

        reg.setRunDir(a, "/runs/a2");
        QCOMPARE(qs(reg.run(a)->runDir), QString("/runs/a2"));
        QVERIFY_THROWS_EXCEPTION(Error, reg.setRunDir(b + 100, "/x"));

        const auto all = reg.listRuns();
        QCOMPARE(all.size(), std::size_t(2));
        QCOMPARE(all[0].id, b); // newest first
        QCOMPARE(all[1].id, a);
        QCOMPARE(qs(all[1].name), QString("first"));
    }

    void statusTransitions() {
        Registry reg(freshPath().toStdString());
        const auto id = reg.createRun("r", "", "", "cpu", 1);

        reg.setStatus(id, RunStatus::Running);
        auto r = reg.run(id);
        QVERIFY(r->status == RunStatus::Running);
        QCOMPARE(r->pid, std::int64_t(getpid()));
        QCOMPARE(qs(r->host), qs(thisHost()));
        QCOMPARE(r->finishedAt, 0.0);

        reg.setStatus(id, RunStatus::Failed, "loss became NaN at step 12");
        r = reg.run(id);
        QVERIFY(r->status == RunStatus::Failed);
        QCOMPARE(qs(r->message), QString("loss became NaN at step 12"));
        QVERIFY(r->finishedAt >= r->createdAt);
        QVERIFY(r->finishedAt > 0);

        // Running again (a resume) clears the finish time; finishing sets it again.
        reg.setStatus(id, RunStatus::Running);
        QCOMPARE(reg.run(id)->finishedAt, 0.0);
        QCOMPARE(qs(reg.run(id)->message), QString());
        reg.setStatus(id, RunStatus::Finished);
        QVERIFY(reg.run(id)->status == RunStatus::Finished);
        QVERIFY(reg.run(id)->finishedAt > 0);
        reg.setStatus(id, RunStatus::Interrupted, "stopped by the user");
        QVERIFY(reg.run(id)->status == RunStatus::Interrupted);
        QCOMPARE(qs(reg.run(id)->message), QString("stopped by the user"));

        QVERIFY_THROWS_EXCEPTION(Error, reg.setStatus(id + 1, RunStatus::Running));
    }

    void metricsOrderedByStep() {
        Registry reg(freshPath().toStdString());
        const auto id = reg.createRun("m", "", "", "cpu", 1);
        const auto other = reg.createRun("o", "", "", "cpu", 1);
        // Written out of order: reading must sort by step.
        reg.logMetrics(id, 30, {{"loss", 0.5}, {"val/mIoU", 0.25}}, 1003.0);
        reg.logMetrics(id, 10, {{"loss", 1.5}, {"acc", 0.125}}, 1001.0);
        reg.logMetrics(id, 20, {{"loss", 1.0}}, 1002.0);
        reg.logMetrics(other, 10, {{"loss", 9.0}, {"zzz", 1.0}}, 5.0);
        reg.logMetrics(id, 40, {}, 1004.0); // nothing to write is fine

        const auto loss = reg.series(id, "loss");
        QCOMPARE(loss.size(), std::size_t(3));
        QCOMPARE(loss[0].step, std::int64_t(10));
        QCOMPARE(loss[0].value, 1.5);
        QCOMPARE(loss[0].wallTime, 1001.0);
        QCOMPARE(loss[1].step, std::int64_t(20));
        QCOMPARE(loss[1].value, 1.0);
        QCOMPARE(loss[2].step, std::int64_t(30));
        QCOMPARE(loss[2].value, 0.5);
        QCOMPARE(loss[2].wallTime, 1003.0);

        const auto after = reg.seriesAfter(id, "loss", 10);
        QCOMPARE(after.size(), std::size_t(2));
        QCOMPARE(after[0].step, std::int64_t(20));
        QCOMPARE(after[1].step, std::int64_t(30));
        QCOMPARE(reg.seriesAfter(id, "loss", 30).size(), std::size_t(0));
        QCOMPARE(reg.seriesAfter(id, "loss", -1).size(), std::size_t(3));

        const auto keys = reg.metricKeys(id);
        QCOMPARE(keys.size(), std::size_t(3));
        QCOMPARE(qs(keys[0]), QString("acc"));
        QCOMPARE(qs(keys[1]), QString("loss"));
        QCOMPARE(qs(keys[2]), QString("val/mIoU"));
        QCOMPARE(reg.series(id, "zzz").size(), std::size_t(0));
        QCOMPARE(reg.series(other, "loss").size(), std::size_t(1));
        QCOMPARE(reg.metricKeys(other + 1).size(), std::size_t(0));

        // Metrics of a run that does not exist violate the foreign key.
        QVERIFY_THROWS_EXCEPTION(Error, reg.logMetrics(other + 1, 1, {{"loss", 1.0}}, 1.0));
    }

    void nanRoundTrip() {
        Registry reg(freshPath().toStdString());
        const auto id = reg.createRun("n", "", "", "cpu", 1);
        reg.logMetrics(id, 1, {{"loss", 2.0}}, 1.0);
        reg.logMetrics(id, 2, {{"loss", std::nan("")}}, 2.0);
        reg.logMetrics(id, 3, {{"loss", 1.0}}, 3.0);
        const auto s = reg.series(id, "loss");
        QCOMPARE(s.size(), std::size_t(3));
        QCOMPARE(s[0].value, 2.0);
        QVERIFY(std::isnan(s[1].value));
        QCOMPARE(s[1].step, std::int64_t(2));
        QCOMPARE(s[1].wallTime, 2.0);
        QCOMPARE(s[2].value, 1.0);
    }

    void removeRunCascades() {
        const QString path = freshPath();
        Registry reg(path.toStdString());
        const auto a = reg.createRun("a", "", "", "cpu", 1);
        const auto b = reg.createRun("b", "", "", "cpu", 1);
        reg.logMetrics(a, 1, {{"loss", 1.0}, {"acc", 0.5}}, 1.0);
        reg.logMetrics(a, 2, {{"loss", 0.5}}, 2.0);
        reg.logMetrics(b, 1, {{"loss", 3.0}}, 1.0);
        reg.removeRun(a);
        QVERIFY(!reg.run(a).has_value());
        QCOMPARE(reg.series(a, "loss").size(), std::size_t(0));
        QCOMPARE(reg.metricKeys(a).size(), std::size_t(0));
        QCOMPARE(rawCount(path, "SELECT COUNT(*) FROM metrics WHERE run_id = " +
                                    std::to_string(a)), std::int64_t(0));
        QCOMPARE(reg.series(b, "loss").size(), std::size_t(1));
        QCOMPARE(reg.listRuns().size(), std::size_t(1));
        reg.removeRun(a); // already gone: nothing to do

        // AUTOINCREMENT: a removed id is never handed out again.
        QVERIFY(reg.createRun("c", "", "", "cpu", 1) > b);
    }

    void schemaAndPragmas() {
        const QString path = freshPath();
        {
            Registry reg(path.toStdString());
            QCOMPARE(reg.schemaVersion(), 3);
            QCOMPARE(Registry::currentSchemaVersion(), 3);
        }
        Registry again(path.toStdString()); // migrations are not applied twice
        QCOMPARE(again.schemaVersion(), 3);
        QCOMPARE(rawCount(path, "PRAGMA user_version"), std::int64_t(3));
        QCOMPARE(qs(rawText(path, "PRAGMA journal_mode")), QString("wal"));
        QCOMPARE(rawCount(path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND "
                                "tbl_name = 'metrics'"),
                 std::int64_t(1));
    }

    void versionOneDatabaseIsMigratedKeepingItsRuns() {
        const QString path = freshPath();
        rawExec(path, "CREATE TABLE runs(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
                      "status TEXT NOT NULL, config_yaml TEXT, run_dir TEXT, device TEXT, seed INTEGER, "
                      "host TEXT, pid INTEGER, message TEXT, created_at REAL, started_at REAL, finished_at REAL);"
                      "CREATE TABLE metrics(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, "
                      "step INTEGER NOT NULL, key TEXT NOT NULL, value REAL, wall_time REAL);"
                      "INSERT INTO runs(name, status, seed) VALUES('old', 'finished', 7);"
                      "PRAGMA user_version = 1;");
        Registry reg(path.toStdString());
        QCOMPARE(reg.schemaVersion(), 3);
        const auto runs = reg.listRuns();
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(qs(runs[0].name), QString("old"));
        QCOMPARE(runs[0].seed, std::int64_t(7));
        QCOMPARE(qs(runs[0].splitJson), QString());
        reg.setRunSplit(runs[0].id, R"({"setting": "c"})");
        QCOMPARE(qs(reg.run(runs[0].id)->splitJson), QString(R"({"setting": "c"})"));
        QVERIFY_THROWS_EXCEPTION(Error, reg.setRunSplit(runs[0].id + 100, "{}"));
    }

    void newerSchemaRefused() {
        const QString path = freshPath();
        { Registry reg(path.toStdString()); }
        rawExec(path, "PRAGMA user_version = 99");
        try {
            Registry reg(path.toStdString());
            QFAIL("opened a registry with a newer schema");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains(path), e.what());
            QVERIFY2(QString(e.what()).contains("schema version 99 is newer than this program's (3)"), e.what());
        }
        QCOMPARE(rawCount(path, "PRAGMA user_version"), std::int64_t(99)); // left untouched
    }

    void twoConnectionsShareTheFile() {
        const std::string path = freshPath().toStdString();
        Registry a(path);
        Registry b(path);
        const auto id = a.createRun("shared", "", "", "cpu", 3);
        a.logMetrics(id, 1, {{"loss", 1.0}}, 1.0);
        QVERIFY(b.run(id).has_value());
        QCOMPARE(qs(b.run(id)->name), QString("shared"));
        QCOMPARE(b.series(id, "loss").size(), std::size_t(1));
        b.logMetrics(id, 2, {{"loss", 0.5}}, 2.0);
        b.setStatus(id, RunStatus::Running);
        QCOMPARE(a.seriesAfter(id, "loss", 1).size(), std::size_t(1));
        QVERIFY(a.run(id)->status == RunStatus::Running);
    }

    void deadProcessMarksRunInterrupted() {
        const QString path = freshPath();
        std::int64_t dead = 0, alive = 0, elsewhere = 0;
        {
            Registry reg(path.toStdString());
            dead = reg.createRun("dead", "", "", "cpu", 1);
            alive = reg.createRun("alive", "", "", "cpu", 1);
            elsewhere = reg.createRun("elsewhere", "", "", "cpu", 1);
            for (auto id : {dead, alive, elsewhere})
                reg.setStatus(id, RunStatus::Running);
            reg.logMetrics(dead, 5, {{"loss", 1.0}}, 1234.5);
            // A second Registry in this process must leave its own running runs alone.
            Registry same(path.toStdString());
            QVERIFY(same.run(alive)->status == RunStatus::Running);
        }

        // A pid that surely belongs to no process any more: a child that has been reaped.
        QProcess child;
        child.start("true", {});
        QVERIFY(child.waitForStarted());
        const qint64 pid = child.processId();
        QVERIFY(child.waitForFinished());
        QVERIFY(pid > 0);
        rawExec(path, "UPDATE runs SET pid = " + std::to_string(pid) + " WHERE id IN (" +
                          std::to_string(dead) + ", " + std::to_string(elsewhere) + ")");
        // On another host the pid means nothing here: that run must stay as it is.
        rawExec(path, "UPDATE runs SET host = 'some-other-host' WHERE id = " +
                          std::to_string(elsewhere));

        Registry reg(path.toStdString());
        const auto d = reg.run(dead);
        QVERIFY(d->status == RunStatus::Interrupted);
        QCOMPARE(qs(d->message), QString("process ended while running"));
        QCOMPARE(d->finishedAt, 1234.5); // the last sign of life
        QVERIFY(reg.run(alive)->status == RunStatus::Running);
        QVERIFY(reg.run(elsewhere)->status == RunStatus::Running);
    }

    void createsParentFolders() {
        const QString path = tmp_.filePath("deep/er/folder/reg.sqlite");
        { Registry reg(path.toStdString()); }
        QVERIFY(QFile::exists(path));
    }

    void defaultPathFollowsXdg() {
        const QByteArray oldXdg = qgetenv("XDG_DATA_HOME");
        const QByteArray oldHome = qgetenv("HOME");
        const bool hadXdg = qEnvironmentVariableIsSet("XDG_DATA_HOME");

        qputenv("XDG_DATA_HOME", "/data/xdg");
        QCOMPARE(qs(Registry::defaultPath()), QString("/data/xdg/mtl-workbench/registry.sqlite"));
        qunsetenv("XDG_DATA_HOME");
        qputenv("HOME", "/home/someone");
        QCOMPARE(qs(Registry::defaultPath()),
                 QString("/home/someone/.local/share/mtl-workbench/registry.sqlite"));

        qputenv("HOME", oldHome);
        if (hadXdg)
            qputenv("XDG_DATA_HOME", oldXdg);
    }

    void unusablePathThrowsWithPath() {
        QFile plain(tmp_.filePath("plain-file"));
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.write("not a folder");
        plain.close();

        const QStringList bad = {tmp_.filePath("plain-file/sub/reg.sqlite"),
                                 tmp_.filePath("plain-file/reg.sqlite"),
                                 tmp_.path()}; // a folder is not a database either
        for (const QString& path : bad) {
            try {
                Registry reg(path.toStdString());
                QFAIL(qPrintable("no error for " + path));
            } catch (const Error& e) {
                QVERIFY2(QString(e.what()).contains(path), e.what());
            }
        }
    }

    void notADatabaseThrows() {
        const QString path = tmp_.filePath("garbage.sqlite");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(8192, 'x'));
        f.close();
        try {
            Registry reg(path.toStdString());
            QFAIL("opened a file that is not a database");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains(path), e.what());
        }
    }

    void versionTwoDatabaseIsMigratedToThree() {
        // A version-2 file as the previous release wrote it, with a step logged twice (an old resume).
        const QString path = freshPath();
        rawExec(path, "CREATE TABLE runs(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, "
                      "status TEXT NOT NULL, config_yaml TEXT, run_dir TEXT, device TEXT, seed INTEGER, "
                      "host TEXT, pid INTEGER, message TEXT, created_at REAL, started_at REAL, finished_at REAL, "
                      "split_json TEXT);"
                      "CREATE TABLE metrics(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, "
                      "step INTEGER NOT NULL, key TEXT NOT NULL, value REAL, wall_time REAL);"
                      "CREATE INDEX metrics_run_key_step ON metrics(run_id, key, step);"
                      "INSERT INTO runs(name, status, seed) VALUES('a', 'finished', 1), ('b', 'failed', 2);"
                      "INSERT INTO metrics VALUES(1, 10, 'loss', 2.0, 1.0), (1, 20, 'loss', 1.0, 2.0), "
                      "(1, 20, 'loss', 0.5, 3.0), (2, 10, 'loss', 4.0, 1.0);"
                      "PRAGMA user_version = 2;");
        Registry reg(path.toStdString());
        QCOMPARE(reg.schemaVersion(), 3);
        const auto runs = reg.listRuns();
        QCOMPARE(runs.size(), std::size_t(2));
        QCOMPARE(qs(runs[1].name), QString("a"));
        QCOMPARE(runs[0].uid.size(), std::size_t(32));
        QVERIFY(runs[0].uid != runs[1].uid);
        const auto loss = reg.series(runs[1].id, "loss");
        QCOMPARE(loss.size(), std::size_t(2)); // the later of the two step-20 rows is kept
        QCOMPARE(loss[1].value, 0.5);
        QCOMPARE(reg.series(runs[0].id, "loss").size(), std::size_t(1));
        // The new tables work on the migrated file.
        reg.addTag(runs[1].id, "old");
        QCOMPARE(reg.listRuns({std::nullopt, "old", ""}).size(), std::size_t(1));
        QCOMPARE(qs(rawText(path, "PRAGMA integrity_check")), QString("ok"));
    }

    void sameStepLoggedTwiceIsReplaced() {
        const QString path = freshPath();
        Registry reg(path.toStdString());
        const auto id = reg.createRun("r", "", "", "cpu", 1);
        reg.logMetrics(id, 5, {{"loss", 2.0}, {"lr", 0.1}}, 1.0);
        reg.logMetrics(id, 5, {{"loss", 1.5}}, 2.0);
        const auto loss = reg.series(id, "loss");
        QCOMPARE(loss.size(), std::size_t(1));
        QCOMPARE(loss[0].value, 1.5);
        QCOMPARE(loss[0].wallTime, 2.0);
        QCOMPARE(reg.series(id, "lr")[0].value, 0.1);

        reg.logMetrics(id, 10, {{"loss", 1.0}}, 3.0);
        reg.logMetrics(id, 15, {{"loss", 0.5}}, 4.0);
        reg.recordClassResults(id, {{10, "seg", "road", "IoU", 0.75}, {15, "seg", "road", "IoU", 0.5}});
        reg.truncateAfter(id, 10);
        QCOMPARE(reg.series(id, "loss").size(), std::size_t(2));
        QCOMPARE(reg.series(id, "loss").back().step, std::int64_t(10));
        const auto cls = reg.classResults(id);
        QCOMPARE(cls.size(), std::size_t(1));
        QCOMPARE(cls[0].step, std::int64_t(10));
        QCOMPARE(cls[0].value, 0.75);
    }

    void namesTagsAndNotesAreStoredVerbatim() {
        Registry reg(freshPath().toStdString());
        const std::string name = "it's \"quoted\"; DROP TABLE runs; -- Zürich 東京 🚗";
        const std::string tag = "tag with 'quote'; and \"more\" — ünïcödé";
        const std::string notes = "line 1\nline 2; DELETE FROM metrics; '\"";
        const auto id = reg.createRun(name, "name: x\n", "", "cpu", 1);
        const auto other = reg.createRun("plain", "", "", "cpu", 1);
        reg.addTag(id, tag);
        reg.addTag(id, tag); // twice: once
        reg.addTag(id, "a-first");
        reg.setNotes(id, notes);
        const auto r = reg.run(id);
        QCOMPARE(qs(r->name), qs(name));
        QCOMPARE(r->tags.size(), std::size_t(2));
        QCOMPARE(qs(r->tags[0]), QString("a-first"));
        QCOMPARE(qs(r->tags[1]), qs(tag));
        QCOMPARE(qs(r->notes), qs(notes));
        QCOMPARE(reg.allTags().size(), std::size_t(2));
        QCOMPARE(reg.listRuns().size(), std::size_t(2)); // nothing was dropped

        const auto tagged = reg.listRuns({std::nullopt, tag, ""});
        QCOMPARE(tagged.size(), std::size_t(1));
        QCOMPARE(tagged[0].id, id);
        QCOMPARE(reg.listRuns({std::nullopt, "", "東京"}).size(), std::size_t(1));
        QCOMPARE(reg.listRuns({std::nullopt, "", "'"}).size(), std::size_t(1));
        reg.setStatus(other, RunStatus::Diverged, "loss is not finite");
        const auto diverged = reg.listRuns({RunStatus::Diverged, "", ""});
        QCOMPARE(diverged.size(), std::size_t(1));
        QCOMPARE(diverged[0].id, other);
        QCOMPARE(reg.listRuns({RunStatus::Queued, tag, ""}).size(), std::size_t(1));
        QCOMPARE(reg.listRuns({RunStatus::Finished, tag, ""}).size(), std::size_t(0));

        reg.removeTag(id, tag);
        QCOMPARE(reg.tags(id).size(), std::size_t(1));
        QVERIFY_THROWS_EXCEPTION(InputError, reg.addTag(id, ""));
        QVERIFY_THROWS_EXCEPTION(Error, reg.addTag(other + 100, "x"));
        QVERIFY_THROWS_EXCEPTION(Error, reg.setNotes(other + 100, "x"));
    }

    void checkpointsArtifactsAndClassResults() {
        Registry reg(freshPath().toStdString());
        const auto id = reg.createRun("c", "", "", "cpu", 1);
        reg.recordCheckpoint(id, "last", 100, "/r/checkpoint.pt", std::nan(""));
        reg.recordCheckpoint(id, "best", 50, "/r/best.pt", 0.625);
        reg.recordCheckpoint(id, "last", 200, "/r/checkpoint.pt", std::nan("")); // replaces
        const auto c = reg.checkpoints(id);
        QCOMPARE(c.size(), std::size_t(2));
        QCOMPARE(qs(c[0].kind), QString("best"));
        QCOMPARE(c[0].step, std::int64_t(50));
        QCOMPARE(c[0].metric, 0.625);
        QCOMPARE(qs(c[1].kind), QString("last"));
        QCOMPARE(c[1].step, std::int64_t(200));
        QVERIFY(std::isnan(c[1].metric));
        QVERIFY(c[1].wallTime > 0);
        QVERIFY_THROWS_EXCEPTION(Error, reg.recordCheckpoint(id + 1, "last", 1, "/x", 0.0));

        reg.recordArtifact(id, "log", "/r/run.log");
        reg.recordArtifact(id, "config", "/r/config.yaml");
        QCOMPARE(reg.artifacts(id).size(), std::size_t(2));
        QCOMPARE(qs(reg.artifacts(id)[0].path), QString("/r/config.yaml"));

        reg.recordClassResults(id, {{10, "seg", "road", "IoU", 0.5}, {10, "seg", "sky", "IoU", std::nan("")},
                                    {10, "det", "car", "AP", 0.25}, {20, "seg", "road", "IoU", 0.75}});
        const auto latest = reg.classResults(id);
        QCOMPARE(latest.size(), std::size_t(1));
        QCOMPARE(latest[0].value, 0.75);
        const auto at10 = reg.classResults(id, 10);
        QCOMPARE(at10.size(), std::size_t(3));
        QCOMPARE(qs(at10[0].task), QString("seg")); // seg first, then in recorded order
        QCOMPARE(qs(at10[0].className), QString("road"));
        QCOMPARE(qs(at10[1].className), QString("sky"));
        QVERIFY(std::isnan(at10[1].value));
        QCOMPARE(qs(at10[2].className), QString("car"));
        QCOMPARE(qs(at10[2].metric), QString("AP"));

        reg.removeRun(id);
        QCOMPARE(reg.checkpoints(id).size(), std::size_t(0));
        QCOMPARE(reg.artifacts(id).size(), std::size_t(0));
        QCOMPARE(reg.classResults(id, 10).size(), std::size_t(0));
    }

    void mergeRunIsIdempotent() {
        Registry reg(freshPath().toStdString());
        RunSnapshot s;
        s.record.uid = "0123456789abcdef0123456789abcdef";
        s.record.name = "imported; 'x'";
        s.record.status = RunStatus::Finished;
        s.record.configYaml = "name: x\n";
        s.record.host = "node17";
        s.record.createdAt = 100;
        s.record.startedAt = 101;
        s.record.finishedAt = 200;
        s.metrics = {{10, "loss", 1.0, 150}, {20, "loss", 0.5, 160}};
        s.classResults = {{20, "seg", "road", "IoU", 0.5}};
        s.checkpoints = {{"last", 20, "/r/checkpoint.pt", std::nan(""), 170}};
        s.artifacts = {{"log", "/r/run.log", 180}};
        const auto id = reg.mergeRun(s);
        reg.addTag(id, "mine");
        s.metrics.push_back({30, "loss", 0.25, 165});
        QCOMPARE(reg.mergeRun(s), id);
        QCOMPARE(reg.mergeRun(s), id);
        QCOMPARE(reg.listRuns().size(), std::size_t(1));
        const auto r = reg.run(id);
        QCOMPARE(qs(r->name), QString("imported; 'x'"));
        QCOMPARE(qs(r->host), QString("node17"));
        QCOMPARE(r->finishedAt, 200.0);
        QCOMPARE(r->tags.size(), std::size_t(1)); // the user's tags survive a re-import
        QCOMPARE(reg.series(id, "loss").size(), std::size_t(3));
        QCOMPARE(reg.checkpoints(id).size(), std::size_t(1));
        QCOMPARE(reg.artifacts(id).size(), std::size_t(1));
        QCOMPARE(reg.classResults(id).size(), std::size_t(1));
        s.record.uid.clear();
        QVERIFY_THROWS_EXCEPTION(Error, reg.mergeRun(s));
    }

    void fourWritersAndAReaderLoseNothing() {
        const std::string path = freshPath().toStdString();
        constexpr int kWriters = 4, kSteps = 150;
        const std::vector<std::string> keys = {"train/loss", "train/seg_loss", "train/lr"};
        std::vector<std::int64_t> ids;
        {
            Registry reg(path);
            for (int w = 0; w < kWriters; ++w) ids.push_back(reg.createRun("w" + std::to_string(w), "", "", "cpu", w));
        }
        std::atomic<bool> writing{true};
        std::atomic<int> failures{0};
        std::vector<std::int64_t> seenSteps; // what a polling reader sees of writer 0's loss
        std::thread reader([&] {
            try {
                Registry reg(path);
                std::int64_t last = 0;
                while (true) {
                    const bool more = writing;
                    for (const auto& p : reg.seriesAfter(ids[0], keys[0], last)) {
                        seenSteps.push_back(p.step);
                        last = p.step;
                    }
                    if (!more) break;
                }
            } catch (const std::exception&) {
                ++failures;
            }
        });
        std::vector<std::thread> writers;
        for (int w = 0; w < kWriters; ++w)
            writers.emplace_back([&, w] {
                try {
                    Registry reg(path); // one connection per thread, as the training threads do
                    for (int step = 1; step <= kSteps; ++step) {
                        std::vector<std::pair<std::string, double>> values;
                        for (std::size_t k = 0; k < keys.size(); ++k) values.push_back({keys[k], w * 1000.0 + step + 0.1 * k});
                        reg.logMetrics(ids[w], step, values, step);
                        if (step % 50 == 0) reg.setStatus(ids[w], RunStatus::Running);
                    }
                } catch (const std::exception&) {
                    ++failures;
                }
            });
        for (auto& t : writers) t.join();
        writing = false;
        reader.join();
        QCOMPARE(failures.load(), 0);

        const QString qpath = QString::fromStdString(path);
        QCOMPARE(rawCount(qpath, "SELECT COUNT(*) FROM metrics"), std::int64_t(kWriters * kSteps * keys.size()));
        QCOMPARE(rawCount(qpath, "SELECT COUNT(*) FROM (SELECT 1 FROM metrics GROUP BY run_id, key, step HAVING COUNT(*) > 1)"),
                 std::int64_t(0));
        Registry reg(path);
        for (int w = 0; w < kWriters; ++w)
            for (std::size_t k = 0; k < keys.size(); ++k) {
                const auto s = reg.series(ids[w], keys[k]);
                QCOMPARE(s.size(), std::size_t(kSteps));
                for (int step = 1; step <= kSteps; ++step) {
                    QCOMPARE(s[step - 1].step, std::int64_t(step));
                    QCOMPARE(s[step - 1].value, w * 1000.0 + step + 0.1 * k);
                }
            }
        // The reader saw every step exactly once, in order.
        QCOMPARE(seenSteps.size(), std::size_t(kSteps));
        for (int step = 1; step <= kSteps; ++step) QCOMPARE(seenSteps[step - 1], std::int64_t(step));
        QCOMPARE(qs(rawText(qpath, "PRAGMA integrity_check")), QString("ok"));
    }

    void staleQueuedRunsAndReusedPids() {
        const QString path = freshPath();
        std::int64_t queued = 0, reused = 0, mine = 0;
        {
            Registry reg(path.toStdString());
            queued = reg.createRun("queued by a dead process", "", "", "cpu", 1);
            reused = reg.createRun("pid reused", "", "", "cpu", 1);
            mine = reg.createRun("queued here", "", "", "cpu", 1);
            reg.setStatus(reused, RunStatus::Running);
        }
        QProcess child;
        child.start("true", {});
        QVERIFY(child.waitForStarted());
        const qint64 pid = child.processId();
        QVERIFY(child.waitForFinished());
        rawExec(path, "UPDATE runs SET pid = " + std::to_string(pid) + " WHERE id = " + std::to_string(queued));
        // This process's pid with another start time: a process that died, its pid given to us.
        rawExec(path, "UPDATE runs SET process_start = process_start - 1 WHERE id = " + std::to_string(reused));
        Registry reg(path.toStdString());
        QCOMPARE(statusName(reg.run(queued)->status), QString("interrupted"));
        QCOMPARE(statusName(reg.run(reused)->status), QString("interrupted"));
        QCOMPARE(statusName(reg.run(mine)->status), QString("queued"));
        QCOMPARE(reg.markStaleRuns(), 0); // nothing left to mark
    }
};

QTEST_MAIN(TestRegistry)
#include "tst_registry.moc"
