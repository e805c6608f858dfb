// Data-parallel training (docs/CLUSTER.md): where a process stands from its launcher's environment,
// the periods' meters merged across processes, and `mtlw run --nproc-per-node` as users run it:
// two processes follow one process's loss curve, a killed rank ends the run interrupted and
// resumable, and bad input is refused before anything starts.
#include "TestSupport.h"

#include "core/common/Error.h"
#include "core/experiment/Registry.h"
#include "core/train/LossMeter.h"
#include "core/train/ProcessWorld.h"

#include "MtlwProcess.h"
#include "TestSuite.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <cmath>
#include <map>

using namespace mtl;

namespace {

std::map<std::string, std::string> g_env;
const char* fakeEnv(const char* name) {
    const auto it = g_env.find(name);
    return it == g_env.end() ? nullptr : it->second.c_str();
}

// step → value of `key` in a run folder's metrics.csv.
std::map<int, double> series(const QString& runDir, const QString& key) {
    std::map<int, double> out;
    QFile f(runDir + "/metrics.csv");
    if (!f.open(QIODevice::ReadOnly)) return out;
    for (const QByteArray& line : f.readAll().split('\n')) {
        const auto fields = line.split(',');
        if (fields.size() >= 3 && fields[1] == key.toUtf8()) out[fields[0].toInt()] = fields[2].toDouble();
    }
    return out;
}

} // namespace

class TestDistributed : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString data_;

    // `model`: the model section's lines after the architecture (BatchNorm and tasks).
    QString config(const QString& name, int steps, const QString& model = "  tasks: det\n  frozen_bn: true\n") {
        const QString path = dir_.filePath(name + ".yaml");
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(QString("name: %1\nseed: 3\ndata:\n  dataset: synthetic:%2\n"
                        "model:\n  backbone: resnet18\n  width: 0.125\n  anchor_size: 16\n%4"
                        "train:\n  steps: %3\n  batch_size: 4\n  input_width: 128\n  input_height: 64\n  lr: 0.002\n"
                        "  device: cpu\n  threads: 1\n  log_every: 1\n  checkpoint_every: 10\n"
                        "eval:\n  every: 0\n  max_images: 2\n")
                    .arg(name, data_)
                    .arg(steps)
                    .arg(model)
                    .toUtf8());
        return path;
    }
    QStringList common(const QString& registry) {
        return {"--registry", dir_.filePath(registry), "--runs-dir", dir_.filePath(registry + "-runs"), "--quiet"};
    }
    using Result = MtlwResult;
    static Result mtlw(const QStringList& args) { return runMtlw(args, 240000); }

private Q_SLOTS:
    void initTestCase() { data_ = writeTinySynthetic(dir_.filePath("data"), 12, 2); }

    void worldFromTheLauncherEnvironment() {
        g_env = {};
        QVERIFY(!processWorldFromEnvironment(fakeEnv).distributed());
        g_env = {{"RANK", "1"}, {"WORLD_SIZE", "4"}, {"LOCAL_RANK", "1"}, {"LOCAL_WORLD_SIZE", "2"},
                 {"MASTER_ADDR", "node7"}, {"MASTER_PORT", "29611"}};
        ProcessWorld w = processWorldFromEnvironment(fakeEnv);
        QCOMPARE(w.rank, 1);
        QCOMPARE(w.size, 4);
        QCOMPARE(w.localRank, 1);
        QCOMPARE(w.localSize, 2);
        QCOMPARE(QString::fromStdString(w.masterAddr), QString("node7"));
        QCOMPARE(w.masterPort, 29611);
        QVERIFY(!w.isWritingRank());
        // srun: SLURM's variables of the step, rank 0 on the node list's first host.
        g_env = {{"SLURM_PROCID", "5"}, {"SLURM_STEP_NUM_TASKS", "8"}, {"SLURM_LOCALID", "1"},
                 {"SLURM_STEP_TASKS_PER_NODE", "4(x2)"}, {"SLURM_STEP_NODELIST", "gpu[07-08,12],cpu1"}};
        w = processWorldFromEnvironment(fakeEnv);
        QCOMPARE(w.rank, 5);
        QCOMPARE(w.size, 8);
        QCOMPARE(w.localRank, 1);
        QCOMPARE(w.localSize, 4);
        QCOMPARE(QString::fromStdString(w.masterAddr), QString("gpu07"));
        QCOMPARE(w.masterPort, 29500);
        QCOMPARE(QString::fromStdString(firstSlurmHost("node3")), QString("node3"));
        QCOMPARE(QString::fromStdString(firstSlurmHost("a1,b[2-3]")), QString("a1"));
        // A batch script's single task (no srun step) is one process.
        g_env = {{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "8"}};
        QVERIFY(!processWorldFromEnvironment(fakeEnv).distributed());
        // Malformed values are named.
        for (const auto& bad : std::vector<std::map<std::string, std::string>>{
                 {{"RANK", "x"}, {"WORLD_SIZE", "2"}}, {{"RANK", "2"}, {"WORLD_SIZE", "2"}},
                 {{"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", "70000"}}}) {
            g_env = bad;
            QString message;
            try {
                processWorldFromEnvironment(fakeEnv);
            } catch (const InputError& e) {
                message = e.what();
            }
            QVERIFY2(message.startsWith("environment variable "), qPrintable(message));
        }
        g_env = {};
    }

    // Rank 0 logs the global batch's means: Σ sums / Σ weights over the processes; a non-finite
    // value survives the trip through the store.
    void periodsMergeAcrossProcesses() {
        LossMeter a(torch::kCPU), b(torch::kCPU);
        a.add("train/loss", torch::tensor(1.0));
        a.add("train/loss", torch::tensor(3.0));
        a.add("train/det_positives", torch::tensor(10.0), torch::tensor(2.0));
        a.set("train/lr", 0.5);
        b.add("train/loss", torch::tensor(5.0));
        b.add("train/loss", torch::tensor(7.0));
        b.add("train/det_positives", torch::tensor(2.0), torch::tensor(2.0));
        b.addHost("pseudo/det_boxes_per_image", std::nan(""), 1);
        b.set("train/lr", 0.25);
        auto totals = a.takeTotals();
        LossMeter::merge(totals, LossMeter::decode(LossMeter::encode(b.takeTotals())));
        std::map<std::string, double> means;
        for (const auto& [k, v] : LossMeter::means(totals)) means[k] = v;
        QCOMPARE(means["train/loss"], 4.0);
        QCOMPARE(means["train/det_positives"], 3.0);
        QCOMPARE(means["train/lr"], 0.5); // rank 0's
        QVERIFY(std::isnan(means["pseudo/det_boxes_per_image"]));
    }

    void batchThatDoesNotSplitIsRefused() {
        const Result r = mtlw(QStringList{"run", config("split", 5), "--nproc-per-node", "3"} + common("split.sqlite"));
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("train.batch_size 4 is the global batch and must be a multiple of --nproc-per-node 3"),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(dir_.filePath("split.sqlite")));
    }

    void twoProcessesFollowOneProcess_data() {
        QTest::addColumn<QString>("model");
        QTest::newRow("detection, frozen BatchNorm") << "  tasks: det\n  frozen_bn: true\n";
        QTest::newRow("detection, synchronized BatchNorm") << "  tasks: det\n  sync_bn: true\n";
    }

    // The target of docs/CLUSTER.md: the same config, one process or two, the same loss at every
    // step (to float summation order: 1e-4 relative), and one run in the registry. Both processes
    // must see the same batch statistics: frozen or synchronized BatchNorm. (Detection only: the
    // segmentation head's dropout draws its masks per process, so its loss agrees only on average.)
    void twoProcessesFollowOneProcess() {
        QFETCH(QString, model);
        const QString name = model.contains("sync") ? "curve-sync" : "curve";
        const QString cfg = config(name, 20, model);
        const Result one = mtlw(QStringList{"run", cfg} + common(name + "-one.sqlite"));
        QVERIFY2(one.code == 0, qPrintable(one.err));
        const Result two =
            mtlw(QStringList{"run", cfg, "--nproc-per-node", "2", "--timeout", "60"} + common(name + "-two.sqlite"));
        QVERIFY2(two.code == 0, qPrintable(two.err));
        const QString oneDir = dir_.filePath(name + "-one.sqlite-runs/1-" + name),
                      twoDir = dir_.filePath(name + "-two.sqlite-runs/1-" + name);
        const auto a = series(oneDir, "train/loss");
        const auto b = series(twoDir, "train/loss");
        QCOMPARE(a.size(), std::size_t(20));
        QCOMPARE(b.size(), std::size_t(20));
        for (const auto& [step, loss] : a) {
            const double relative = std::abs(b.at(step) - loss) / std::abs(loss);
            QVERIFY2(relative < 1e-4, qPrintable(QString("step %1: %2 vs %3").arg(step).arg(loss, 0, 'g', 9).arg(b.at(step), 0, 'g', 9)));
        }
        // The positives per image are counts over the global batch: exactly equal.
        QCOMPARE(series(twoDir, "train/det_positives"), series(oneDir, "train/det_positives"));
        Registry registry(dir_.filePath(name + "-two.sqlite").toStdString());
        const auto runs = registry.listRuns();
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(statusText(runs[0].status), QString("finished"));
        QCOMPARE(QString::fromStdString(runs[0].device), QString("cpu x2 processes (gloo)"));
    }

    // Ctrl-C (SIGINT to the launcher) stops every process after the same step: the run is
    // interrupted cleanly, with its checkpoint at that step.
    void interruptingTheLauncherStopsEveryRank() {
        QProcess launcher;
        launcher.start(MTLW_BINARY_DIR "/app/mtlw/mtlw",
                       QStringList{"run", config("stop", 400), "--nproc-per-node", "2", "--timeout", "20"} +
                           common("stop.sqlite"));
        QVERIFY(launcher.waitForStarted());
        for (int i = 0; i < 1200 && series(dir_.filePath("stop.sqlite-runs/1-stop"), "train/loss").size() < 5; ++i)
            QTest::qWait(50);
        ::kill(pid_t(launcher.processId()), SIGINT);
        QVERIFY2(launcher.waitForFinished(60000), "the ranks did not stop");
        QCOMPARE(launcher.exitCode(), 130);
        Registry registry(dir_.filePath("stop.sqlite").toStdString());
        const auto run = registry.run(1);
        QCOMPARE(statusText(run->status), QString("interrupted"));
        const auto stopped = QRegularExpression("^stopped at step (\\d+) of 400$").match(QString::fromStdString(run->message));
        QVERIFY2(stopped.hasMatch(), run->message.c_str());
        std::int64_t checkpointStep = -1;
        for (const auto& c : registry.checkpoints(1))
            if (c.kind == "last") checkpointStep = c.step;
        QCOMPARE(checkpointStep, std::int64_t(stopped.captured(1).toLongLong()));
        QVERIFY(stopped.captured(1).toInt() < 400);
    }

    // A rank killed mid-run ends the run within the timeout, interrupted with the rank named; the
    // run then resumes from its last checkpoint with two processes again.
    void aKilledRankLeavesAResumableRun() {
        QProcess launcher;
        launcher.setProcessChannelMode(QProcess::SeparateChannels);
        launcher.start(MTLW_BINARY_DIR "/app/mtlw/mtlw", QStringList{"run", config("kill", 120), "--nproc-per-node", "2",
                                                                     "--timeout", "20"} + common("kill.sqlite"));
        QVERIFY(launcher.waitForStarted());
        QString err;
        QRegularExpressionMatch pids;
        const QString checkpoint = dir_.filePath("kill.sqlite-runs/1-kill/checkpoint.pt");
        for (int i = 0; i < 1200 && !(pids.hasMatch() && QFile::exists(checkpoint)); ++i) {
            launcher.waitForReadyRead(100);
            err += QString::fromUtf8(launcher.readAllStandardError());
            pids = QRegularExpression("processes \\(pids (\\d+) (\\d+)\\)").match(err);
        }
        QVERIFY2(pids.hasMatch() && QFile::exists(checkpoint), qPrintable(err));
        const qint64 rank1 = pids.captured(2).toLongLong();
        QCOMPARE(::kill(pid_t(rank1), SIGKILL), 0);
        QVERIFY2(launcher.waitForFinished(60000), "the launcher did not end within the timeout");
        err += QString::fromUtf8(launcher.readAllStandardError());
        QCOMPARE(launcher.exitCode(), 130);
        {
            Registry registry(dir_.filePath("kill.sqlite").toStdString());
            const auto run = registry.run(1);
            QVERIFY(run.has_value());
            QCOMPARE(statusText(run->status), QString("interrupted"));
            const QString message = QString::fromStdString(run->message);
            QVERIFY2(message.startsWith(QString("rank 1 (pid %1) was killed by signal 9").arg(rank1)), qPrintable(message));
            QCOMPARE(registry.listRuns().size(), std::size_t(1));
        }
        const Result resumed = mtlw(QStringList{"run", "--resume", "1", "--nproc-per-node", "2", "--timeout", "60",
                                                "--registry", dir_.filePath("kill.sqlite"), "--quiet"});
        QVERIFY2(resumed.code == 0, qPrintable(resumed.err + resumed.out));
        QFile log(dir_.filePath("kill.sqlite-runs/1-kill/run.log"));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY(QString::fromUtf8(log.readAll()).contains(QRegularExpression("resumed from .*checkpoint.pt at step [1-9]")));
        Registry registry(dir_.filePath("kill.sqlite").toStdString());
        QCOMPARE(statusText(registry.run(1)->status), QString("finished"));
        QCOMPARE(series(dir_.filePath("kill.sqlite-runs/1-kill"), "train/loss").rbegin()->first, 120);
    }
};

MTLW_TEST_MAIN(TestDistributed, Core)
#include "tst_distributed.moc"
