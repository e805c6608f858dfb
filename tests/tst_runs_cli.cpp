// The registry through `mtlw` as separate processes use it: a training process killed with
// SIGKILL and resumed, run folders imported (twice), and runs listed, shown, tagged and removed
// with names and tags that hold quotes, semicolons and non-ASCII text.
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

#include <cmath>
#include <cstring>
#include <map>

namespace {

QString mtlwPath() { return MTLW_BINARY_DIR "/app/mtlw/mtlw"; }

struct Result {
    int code;
    QString out, err;
};

Result mtlw(const QStringList& args) {
    QProcess p;
    p.start(mtlwPath(), args);
    if (!p.waitForFinished(240000)) return {-1, {}, "timeout"};
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

// Every row of a query as text lines, for comparing registries.
QStringList rows(const QString& db, const std::string& sql) {
    sqlite3* h = nullptr;
    QStringList out;
    if (sqlite3_open_v2(db.toUtf8().constData(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(h);
        return {"cannot open"};
    }
    sqlite3_busy_timeout(h, 10000);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) out << QString("bad sql: ") + sqlite3_errmsg(h);
    while (st && sqlite3_step(st) == SQLITE_ROW) {
        QStringList cells;
        for (int c = 0; c < sqlite3_column_count(st); ++c) {
            const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
            cells << (t ? QString::fromUtf8(t) : QString("NULL"));
        }
        out << cells.join('|');
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out;
}

QString firstCell(const QString& db, const std::string& sql) {
    const QStringList r = rows(db, sql);
    return r.isEmpty() ? QString() : r.first();
}

QStringList wholeRegistry(const QString& db) {
    QStringList all;
    for (const char* sql : {"SELECT * FROM runs ORDER BY id", "SELECT * FROM metrics ORDER BY run_id, key, step",
                            "SELECT * FROM class_results ORDER BY run_id, step, task, class_name",
                            "SELECT * FROM checkpoints ORDER BY run_id, kind", "SELECT * FROM artifacts ORDER BY run_id, kind",
                            "SELECT * FROM tags ORDER BY run_id, tag", "PRAGMA user_version"})
        all << rows(db, sql);
    return all;
}


// A TensorBoard event file read from the format's definition: TFRecord framing (uint64 length,
// masked CRC-32C of it, data, masked CRC-32C of the data) around tensorflow.Event messages.
std::uint32_t crc32cBitwise(const QByteArray& bytes) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (const char ch : bytes) {
        crc ^= static_cast<unsigned char>(ch);
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    }
    return ~crc;
}
std::uint32_t masked(std::uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8u; }

struct ProtoReader {
    QByteArray data;
    int at = 0;
    bool done() const { return at >= data.size(); }
    std::uint64_t varint() {
        std::uint64_t v = 0;
        for (int shift = 0; at < data.size(); shift += 7) {
            const auto b = static_cast<unsigned char>(data[at++]);
            v |= std::uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80)) break;
        }
        return v;
    }
    QByteArray bytes(int n) {
        const QByteArray out = data.mid(at, n);
        at += n;
        return out;
    }
};

struct TbRow {
    qint64 step;
    QString tag;
    float value;
    bool operator==(const TbRow& o) const { return step == o.step && tag == o.tag && value == o.value; }
};

// Every (step, tag, simple_value) of the file, in file order; `error` says what was malformed.
QList<TbRow> readEventFile(const QString& path, QString* version, QString* error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return *error = "cannot open", QList<TbRow>{};
    const QByteArray all = f.readAll();
    QList<TbRow> rows;
    int at = 0;
    while (at < all.size()) {
        if (at + 12 > all.size()) return *error = "truncated header", rows;
        const QByteArray length = all.mid(at, 8);
        std::uint64_t n = 0;
        std::uint32_t lengthCrc = 0, dataCrc = 0;
        std::memcpy(&n, length.constData(), 8);
        std::memcpy(&lengthCrc, all.constData() + at + 8, 4);
        if (lengthCrc != masked(crc32cBitwise(length))) return *error = "length CRC", rows;
        const QByteArray data = all.mid(at + 12, int(n));
        std::memcpy(&dataCrc, all.constData() + at + 12 + int(n), 4);
        if (dataCrc != masked(crc32cBitwise(data))) return *error = "data CRC", rows;
        at += 12 + int(n) + 4;
        ProtoReader event{data};
        qint64 step = 0;
        QList<QPair<QString, float>> values;
        while (!event.done()) {
            const std::uint64_t key = event.varint();
            const int field = int(key >> 3), wire = int(key & 7);
            if (wire == 1) event.bytes(8);           // wall_time
            else if (wire == 0 && field == 2) step = qint64(event.varint());
            else if (wire == 2) {
                const QByteArray inner = event.bytes(int(event.varint()));
                if (field == 3) *version = QString::fromUtf8(inner);
                if (field != 5) continue;
                ProtoReader summary{inner}; // Summary: repeated Value value = 1
                while (!summary.done()) {
                    summary.varint();
                    ProtoReader value{summary.bytes(int(summary.varint()))};
                    QString tag;
                    float simple = NAN;
                    while (!value.done()) {
                        const std::uint64_t k = value.varint();
                        if ((k >> 3) == 1) tag = QString::fromUtf8(value.bytes(int(value.varint())));
                        else if ((k >> 3) == 2 && (k & 7) == 5) std::memcpy(&simple, value.bytes(4).constData(), 4);
                        else return *error = "unexpected Value field", rows;
                    }
                    values << qMakePair(tag, simple);
                }
            } else return *error = "unexpected Event field", rows;
        }
        for (const auto& [tag, v] : values) rows << TbRow{step, tag, v};
    }
    return rows;
}

const char* const kName = "it's \"q\"; DROP TABLE runs; -- Zürich 東京";

} // namespace

class TestRunsCli : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString registry_, config_, runDir_;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const QString data = dir_.filePath("synth");
        QCOMPARE(mtlw({"synth", "--out", data, "--train", "8", "--val", "2", "--width", "128", "--height", "64"}).code, 0);
        registry_ = dir_.filePath("registry.sqlite");
        config_ = dir_.filePath("kill.yaml");
        QFile f(config_);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QString("name: \"it's \\\"q\\\"; DROP TABLE runs; -- Zürich 東京\"\n"
                        "data:\n  dataset: synthetic:%1\n  workers: 1\n"
                        "model:\n  backbone: resnet18\n  width: 0.125\n  anchor_size: 16\n"
                        "train:\n  steps: 160\n  batch_size: 2\n  input_width: 128\n  input_height: 64\n  lr: 0.02\n"
                        "  device: cpu\n  threads: 1\n  log_every: 2\n  checkpoint_every: 10\n"
                        "eval:\n  every: 0\n  max_images: 2\n")
                    .arg(data)
                    .toUtf8());
    }

    void killedRunIsInterruptedAndResumesFromItsCheckpoint() {
        QProcess child;
        child.start(mtlwPath(), {"run", config_, "--registry", registry_, "--quiet"});
        QVERIFY(child.waitForStarted());
        // Kill it once a few checkpoints are on disk, in the middle of training.
        QElapsedTimer waited;
        waited.start();
        while (firstCell(registry_, "SELECT step FROM checkpoints WHERE kind = 'last'").toInt() < 30) {
            QVERIFY2(waited.elapsed() < 120000, "no checkpoint at step 30 within 2 minutes");
            QVERIFY2(child.state() == QProcess::Running, qPrintable(child.readAllStandardError()));
            QTest::qWait(20);
        }
        child.kill(); // SIGKILL: no handler, no clean-up
        QVERIFY(child.waitForFinished());
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        QCOMPARE(rows(registry_, "PRAGMA integrity_check"), QStringList{"ok"});
        QCOMPARE(firstCell(registry_, "SELECT status FROM runs WHERE id = 1"), QString("running")); // as it was left
        const Result list = mtlw({"runs", "list", "--registry", registry_});
        QCOMPARE(list.code, 0);
        QVERIFY2(list.out.contains(QRegularExpression("\\n1 +interrupted +" + QRegularExpression::escape(kName))), qPrintable(list.out));
        QCOMPARE(firstCell(registry_, "SELECT message FROM runs WHERE id = 1"), QString("process ended while running"));
        const QStringList before = rows(registry_, "SELECT step, key, value FROM metrics WHERE run_id = 1 ORDER BY step, key");
        QVERIFY(!before.isEmpty());

        const Result resumed = mtlw({"run", "--resume", "1", "--registry", registry_, "--quiet"});
        QVERIFY2(resumed.code == 0, qPrintable(resumed.err));
        const auto from = QRegularExpression("resumed from .*checkpoint\\.pt at step (\\d+)\\n").match(resumed.err);
        QVERIFY2(from.hasMatch(), qPrintable(resumed.err));
        const int step = from.captured(1).toInt();
        QVERIFY(step >= 30 && step % 10 == 0 && step < 160);

        // Every metric row up to the checkpoint is still there, unchanged; after it, each step once.
        const QStringList after = rows(registry_, "SELECT step, key, value FROM metrics WHERE run_id = 1 ORDER BY step, key");
        QStringList kept;
        for (const QString& r : before)
            if (r.section('|', 0, 0).toInt() <= step) kept << r;
        QVERIFY(kept.size() >= step / 2 * 6); // six training keys every 2 steps
        QCOMPARE(after.mid(0, kept.size()), kept);
        QCOMPARE(rows(registry_, "SELECT COUNT(*), COUNT(DISTINCT step), MIN(step), MAX(step) FROM metrics "
                                 "WHERE run_id = 1 AND key = 'train/loss'"),
                 QStringList{"80|80|2|160"});
        QCOMPARE(firstCell(registry_, "SELECT status FROM runs WHERE id = 1"), QString("finished"));
        QCOMPARE(firstCell(registry_, "SELECT step FROM checkpoints WHERE run_id = 1 AND kind = 'last'"), QString("160"));
        QCOMPARE(rows(registry_, "PRAGMA integrity_check"), QStringList{"ok"});
        runDir_ = firstCell(registry_, "SELECT run_dir FROM runs WHERE id = 1");
        // The folder's metrics.csv matches: each (step, key) once.
        QFile csv(runDir_ + "/metrics.csv");
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size() - 1, after.size());
    }

    void namesAndTagsShownVerbatim() {
        const QString tag = "paper; 'table 3' \"final\" — ü 東京";
        QCOMPARE(mtlw({"runs", "tag", "1", tag, "--registry", registry_}).code, 0);
        QCOMPARE(mtlw({"runs", "note", "1", "notes; with 'quotes'", "--registry", registry_}).code, 0);
        const Result show = mtlw({"runs", "show", "1", "--registry", registry_});
        QCOMPARE(show.code, 0);
        QVERIFY(show.out.startsWith(QString("run 1: ") + kName + "\nstatus: finished\n"));
        QVERIFY2(show.out.contains("\ntags: " + tag + "\n"), qPrintable(show.out));
        QVERIFY(show.out.contains("\nnotes: notes; with 'quotes'\n"));
        QVERIFY(show.out.contains("\ncheckpoint last: step 160 " + runDir_ + "/checkpoint.pt\n"));
        QVERIFY(show.out.contains("\nmetric train/loss: "));
        QVERIFY(show.out.contains("\nseg IoU road: "));
        QVERIFY(show.out.contains(QString("\nconfig:\nname: ") ));
        // For scripts: TSV (fields whole, whatever they hold) and JSON.
        const Result tsv = mtlw({"runs", "list", "--format", "tsv", "--registry", registry_});
        QCOMPARE(tsv.code, 0);
        const QStringList lines = tsv.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0], QString("id\tstatus\tname\tcreated\ttags\tfolder"));
        const QStringList fields = lines[1].split('\t');
        QCOMPARE(fields.size(), 6);
        QCOMPARE(fields[0], QString("1"));
        QCOMPARE(fields[1], QString("finished"));
        QCOMPARE(fields[2], QString(kName));
        QCOMPARE(fields[4], tag);
        QCOMPARE(fields[5], runDir_);
        const Result listJson = mtlw({"runs", "list", "--format", "json", "--registry", registry_});
        const QJsonArray listed = QJsonDocument::fromJson(listJson.out.toUtf8()).array();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed[0]["id"].toInt(), 1);
        QCOMPARE(listed[0]["name"].toString(), QString(kName));
        QCOMPARE(listed[0]["tags"].toArray().first().toString(), tag);
        QVERIFY(listed[0]["finished"].toDouble() > 1e9);
        // Every column round-trips: the JSON holds what the registry's row holds.
        {
            sqlite3* db = nullptr;
            QCOMPARE(sqlite3_open_v2(registry_.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
            sqlite3_stmt* st = nullptr;
            sqlite3_prepare_v2(db, "SELECT uid, name, status, message, created_at, started_at, finished_at, device, seed, "
                                   "run_dir FROM runs WHERE id = 1", -1, &st, nullptr);
            QCOMPARE(sqlite3_step(st), SQLITE_ROW);
            const auto text = [&](int c) {
                const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(st, c));
                return t ? QString::fromUtf8(t) : QString();
            };
            const QJsonObject row = listed[0].toObject();
            QCOMPARE(row["uid"].toString(), text(0));
            QCOMPARE(row["name"].toString(), text(1));
            QCOMPARE(row["status"].toString(), text(2));
            QCOMPARE(row["message"].toString(), text(3));
            QCOMPARE(row["created"].toDouble(), sqlite3_column_double(st, 4));
            QCOMPARE(row["started"].toDouble(), sqlite3_column_double(st, 5));
            QCOMPARE(row["finished"].toDouble(), sqlite3_column_double(st, 6));
            QCOMPARE(row["device"].toString(), text(7));
            QCOMPARE(row["seed"].toInteger(), qint64(sqlite3_column_int64(st, 8)));
            QCOMPARE(row["folder"].toString(), text(9));
            QCOMPARE(row.keys().size(), 12); // id, tags and the ten above
            sqlite3_finalize(st);
            sqlite3_close(db);
        }
        QCOMPARE(mtlw({"runs", "list", "--format", "xml", "--registry", registry_}).code, 2);
        const Result showJson = mtlw({"runs", "show", "1", "--json", "--registry", registry_});
        QCOMPARE(showJson.code, 0);
        const QJsonObject shown = QJsonDocument::fromJson(showJson.out.toUtf8()).object();
        QCOMPARE(shown["name"].toString(), QString(kName));
        QCOMPARE(shown["status"].toString(), QString("finished"));
        QCOMPARE(shown["notes"].toString(), QString("notes; with 'quotes'"));
        int lastStep = -1;
        for (const QJsonValue c : shown["checkpoints"].toArray())
            if (c["kind"].toString() == "last") lastStep = c["step"].toInt();
        QCOMPARE(lastStep, 160);
        QCOMPARE(shown["metrics"]["train/loss"]["step"].toInt(), 160);
        QVERIFY(shown["class_results"].toArray().size() > 0);
        QVERIFY(shown["config"].toString().startsWith("name: "));
        const Result tagged = mtlw({"runs", "list", "--tag", tag, "--registry", registry_});
        QVERIFY2(tagged.out.contains(kName) && tagged.out.contains(tag), qPrintable(tagged.out));
        QVERIFY(!mtlw({"runs", "list", "--tag", "other", "--registry", registry_}).out.contains(kName));
        QVERIFY(mtlw({"runs", "--status", "finished", "--registry", registry_}).out.contains(kName)); // plain `runs` lists
        QCOMPARE(mtlw({"runs", "list", "--status", "sleeping", "--registry", registry_}).code, 2);
        QCOMPARE(mtlw({"runs", "show", "99", "--registry", registry_}).err,
                 "mtlw runs: registry " + registry_ + ": no run with id 99\n");
        QCOMPARE(mtlw({"runs", "show", "x", "--registry", registry_}).code, 2);
        QCOMPARE(mtlw({"run", "--resume", "1", "--registry", registry_}).err,
                 QString("mtlw run: run 1 is finished: only interrupted, failed or queued runs can be resumed\n"));
    }

    // The README's Table 1 recipe on a tiny config: a sweep over three seeds per label count, then
    // `mtlw table ... --grid` prints one cell per count and task: mean ± std over the seeds, n = 3.
    void seedSweepGivesAGridOfMeansOverSeeds() {
        const QString registry = dir_.filePath("table1.sqlite");
        QFile base(dir_.filePath("table1-base.yaml"));
        QVERIFY(base.open(QIODevice::WriteOnly));
        QFile kill(config_);
        QVERIFY(kill.open(QIODevice::ReadOnly));
        base.write(kill.readAll().replace("steps: 160", "steps: 2").replace("checkpoint_every: 10", "checkpoint_every: 1000"));
        base.close();
        // The base config with a setting-(b) split; the sweep file as the README writes it.
        QFile b(dir_.filePath("table1-b.yaml"));
        QVERIFY(b.open(QIODevice::WriteOnly));
        b.write("base: table1-base.yaml\ndata:\n  split:\n    setting: b\n");
        b.close();
        QFile sweep(dir_.filePath("table1-supervised.yaml"));
        QVERIFY(sweep.open(QIODevice::WriteOnly));
        sweep.write("base: table1-b.yaml\nname: table1-supervised\ngrid:\n  seed: [0, 1, 2]\n");
        sweep.close();
        for (const char* k : {"2", "4"}) {
            const Result r = mtlw({"sweep", sweep.fileName(), "--local", "1", "--quiet", "--set",
                                   QString("data.split.det=") + k, "--set", QString("data.split.seg=") + k,
                                   "--registry", registry});
            QVERIFY2(r.code == 0, qPrintable(r.err));
        }
        const Result list = mtlw({"runs", "list", "--format", "json", "--registry", registry});
        const QJsonArray runs = QJsonDocument::fromJson(list.out.toUtf8()).array();
        QCOMPARE(runs.size(), 6);
        QStringList ids;
        std::map<QString, std::map<QString, std::vector<double>>> values; // count -> task -> per seed
        for (const QJsonValue r : runs) {
            ids << QString::number(r["id"].toInt());
            QFile results(r["folder"].toString() + "/results.json");
            QVERIFY(results.open(QIODevice::ReadOnly));
            const QJsonObject o = QJsonDocument::fromJson(results.readAll()).object();
            const QString count = r["id"].toInt() <= 3 ? "2" : "4";
            values[count]["Detection"].push_back(o["mAP"].toDouble());
            values[count]["Segmentation"].push_back(o["mIoU"].toDouble());
        }
        const Result table = mtlw(QStringList{"table", "--grid", "--format", "csv", "--registry", registry} + ids);
        QVERIFY2(table.code == 0, qPrintable(table.err));
        const QStringList lines = table.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines[0], QString("Setting,Method,Sampling,Task,2,2 std,2 n,4,4 std,4 n"));
        for (int row = 1; row <= 2; ++row) {
            const QStringList cells = lines[row].split(',');
            const QString task = cells[3];
            QCOMPARE(cells.mid(0, 3), (QStringList{"(b)", "Supervised", "Uniform"}));
            for (int c = 0; c < 2; ++c) {
                const std::vector<double>& v = values[c == 0 ? "2" : "4"][task];
                const double mean = (v[0] + v[1] + v[2]) / 3;
                double squares = 0;
                for (double x : v) squares += (x - mean) * (x - mean);
                QCOMPARE(cells[4 + 3 * c], QString::asprintf("%.4f", mean));
                QCOMPARE(cells[5 + 3 * c], QString::asprintf("%.4f", std::sqrt(squares / 2)));
                QCOMPARE(cells[6 + 3 * c], QString("3"));
            }
        }
    }

    // `mtlw export tensorboard`: the event file decodes back to the registry's (step, key, value)
    // rows; a folder that is not empty is refused unless --force, which replaces the run's folder.
    void exportsTensorBoardEventFiles() {
        const QString out = dir_.filePath("tb");
        const Result r = mtlw({"export", "tensorboard", "1", "--out", out, "--registry", registry_});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QDir runFolder(out + "/1-" + kName);
        const QStringList files = runFolder.entryList({"events.out.tfevents.*"}, QDir::Files);
        QCOMPARE(files.size(), 1);
        QString version, error;
        const QList<TbRow> read = readEventFile(runFolder.filePath(files[0]), &version, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(version, QString("brain.Event:2"));
        // The stored values as doubles (the text form SQLite prints has 15 digits only).
        QList<TbRow> stored;
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open_v2(registry_.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(db, "SELECT step, key, value FROM metrics WHERE run_id = 1 ORDER BY step, key", -1, &st, nullptr);
        while (sqlite3_step(st) == SQLITE_ROW)
            stored << TbRow{sqlite3_column_int64(st, 0), QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(st, 1))),
                            float(sqlite3_column_double(st, 2))};
        sqlite3_finalize(st);
        sqlite3_close(db);
        QVERIFY(stored.size() > 100);
        QCOMPARE(read.size(), stored.size());
        for (int i = 0; i < read.size(); ++i)
            QVERIFY2(read[i] == stored[i], qPrintable(QString("%1 %2 %3 / %4 %5 %6").arg(stored[i].step).arg(stored[i].tag).arg(stored[i].value, 0, 'g', 9).arg(read[i].step).arg(read[i].tag).arg(read[i].value, 0, 'g', 9)));
        QVERIFY(r.out.contains(QString("exported %1 values of 1 run(s)").arg(stored.size())));

        const Result again = mtlw({"export", "tensorboard", "1", "--out", out, "--registry", registry_});
        QCOMPARE(again.code, 2);
        QVERIFY2(again.err.startsWith("mtlw export: " + out + ": the folder is not empty"), qPrintable(again.err));
        QTest::qWait(1100); // another second: another file name
        QCOMPARE(mtlw({"export", "tensorboard", "1", "--out", out, "--force", "--registry", registry_}).code, 0);
        QCOMPARE(runFolder.entryList({"events.out.tfevents.*"}, QDir::Files).size(), 1);
        QCOMPARE(mtlw({"export", "tensorboard", "99", "--out", dir_.filePath("tb2"), "--registry", registry_}).err,
                 "mtlw export: registry " + registry_ + ": no run with id 99\n");
        QVERIFY(!QDir(dir_.filePath("tb2")).exists()); // nothing written
    }

    void importTwiceGivesTheSameRegistry() {
        const QString other = dir_.filePath("imported.sqlite");
        const Result first = mtlw({"import", runDir_, "--registry", other});
        QVERIFY2(first.code == 0, qPrintable(first.err));
        QVERIFY(first.out.startsWith("imported run 1 (finished, "));
        const QStringList once = wholeRegistry(other);
        const Result second = mtlw({"import", runDir_, "--registry", other});
        QCOMPARE(second.code, 0);
        QVERIFY(second.out.startsWith("updated run 1 (finished, "));
        QCOMPARE(wholeRegistry(other), once);

        // The imported run holds what the original registry holds.
        for (const char* sql : {"SELECT name, status, uid, config_yaml, seed, git_commit, library_versions FROM runs",
                                "SELECT step, key, value FROM metrics ORDER BY key, step",
                                "SELECT step, task, class_name, metric, value FROM class_results ORDER BY task, class_name",
                                "SELECT kind, step, path FROM checkpoints ORDER BY kind"})
            QCOMPARE(rows(other, sql), rows(registry_, sql));
        QCOMPARE(rows(other, "SELECT COUNT(*) FROM runs"), QStringList{"1"});

        // Bad folders: nothing imported, exit 2.
        QCOMPARE(mtlw({"import", dir_.filePath("synth"), "--registry", other}).err,
                 "mtlw import: " + dir_.filePath("synth") + ": not a run folder (no run.json)\n");
        QCOMPARE(mtlw({"import", "--registry", other}).code, 2); // no folder given

        QCOMPARE(mtlw({"runs", "rm", "1", "--registry", other}).out, QString("removed run 1\n"));
        QCOMPARE(rows(other, "SELECT COUNT(*) FROM metrics"), QStringList{"0"});
        QVERIFY(QDir(runDir_).exists()); // without --delete-files the folder stays
    }
};

QTEST_GUILESS_MAIN(TestRunsCli)
#include "tst_runs_cli.moc"
