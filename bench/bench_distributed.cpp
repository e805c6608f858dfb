// Data-parallel throughput on this machine: the quick start (or CONFIG) trained by one process with
// every core against N processes sharing them (`mtlw run --nproc-per-node N`), each for the same
// steps; figures from the runs' own logs ("training: … s/step; all-reduce … %"). Prints JSON.
// Usage: bench_distributed [CONFIG] [--steps S] [--processes N]
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <cstdio>
#include <thread>

namespace {

QJsonObject measure(const QTemporaryDir& dir, const QString& config, int steps, int processes, const QString& label) {
    const QString registry = dir.filePath(label + ".sqlite");
    QStringList args{"run", config, "--registry", registry, "--runs-dir", dir.filePath(label), "--quiet",
                     "--set", "train.steps=" + QString::number(steps), "--set", "eval.every=0",
                     "--set", "eval.max_images=2", "--set", "diagnostics.every=0",
                     "--set", "train.checkpoint_every=" + QString::number(steps)};
    if (processes > 1) args << "--nproc-per-node" << QString::number(processes);
    QProcess p;
    p.start(MTLW_BINARY_DIR "/app/mtlw/mtlw", args);
    p.waitForFinished(-1);
    QJsonObject o{{"label", label}, {"processes", processes}, {"exit_code", p.exitCode()}};
    const QStringList logs = QDir(dir.filePath(label)).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QFile log(dir.filePath(label) + "/" + (logs.isEmpty() ? QString() : logs.first()) + "/run.log");
    if (!log.open(QIODevice::ReadOnly)) return o;
    const QString text = QString::fromUtf8(log.readAll());
    const auto m = QRegularExpression("training: (\\d+) steps in ([0-9.]+) s, ([0-9.]+) s/step"
                                      "(?:; all-reduce of the gradients ([0-9.]+) s, ([0-9.]+) % of it)?").match(text);
    if (m.hasMatch()) {
        o["steps"] = m.captured(1).toInt();
        o["seconds"] = m.captured(2).toDouble();
        o["seconds_per_step"] = m.captured(3).toDouble();
        if (!m.captured(4).isEmpty()) {
            o["allreduce_seconds"] = m.captured(4).toDouble();
            o["allreduce_share_percent"] = m.captured(5).toDouble();
        }
    }
    const auto threads = QRegularExpression("with (\\d+) CPU threads").match(text);
    if (threads.hasMatch()) o["threads_per_process"] = threads.captured(1).toInt();
    return o;
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    QString config = MTLW_SOURCE_DIR "/experiments/quickstart.yaml";
    int steps = 100, processes = 2;
    const QStringList a = app.arguments();
    for (int i = 1; i < a.size(); ++i) {
        if (a[i] == "--steps" && i + 1 < a.size()) steps = a[++i].toInt();
        else if (a[i] == "--processes" && i + 1 < a.size()) processes = a[++i].toInt();
        else config = a[i];
    }
    QTemporaryDir dir;
    const QJsonObject one = measure(dir, config, steps, 1, "one-process");
    const QJsonObject many = measure(dir, config, steps, processes, "processes");
    QJsonObject out{{"config", config}, {"cores", int(std::thread::hardware_concurrency())}, {"one_process", one},
                    {"data_parallel", many}};
    if (one.contains("seconds_per_step") && many.contains("seconds_per_step"))
        out["speedup"] = one["seconds_per_step"].toDouble() / many["seconds_per_step"].toDouble();
    std::printf("%s\n", QJsonDocument(out).toJson().constData());
    return one["exit_code"].toInt() == 0 && many["exit_code"].toInt() == 0 ? 0 : 1;
}
