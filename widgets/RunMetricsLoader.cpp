#include "widgets/RunMetricsLoader.h"

#include "core/experiment/Registry.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

RunMetricsLoader::RunMetricsLoader(QString registryPath, QObject* parent)
    : QObject(parent), registryPath_(std::move(registryPath)) {}

RunMetricsLoader::~RunMetricsLoader() = default;

void RunMetricsLoader::request(const QList<qint64>& runs, const QMap<qint64, QMap<QString, qint64>>& lastSteps) {
    pendingRuns_ = runs;
    pendingSteps_ = lastSteps;
    hasPending_ = true;
    if (!busy_) startPending();
}

void RunMetricsLoader::startPending() {
    if (!hasPending_) return;
    hasPending_ = false;
    busy_ = true;
    using Result = std::pair<QVector<LoadedSeries>, QString>;
    auto* watcher = new QFutureWatcher<Result>(this);
    connect(watcher, &QFutureWatcher<Result>::finished, this, [this, watcher] {
        const Result result = watcher->result();
        watcher->deleteLater();
        busy_ = false;
        if (!result.second.isEmpty()) Q_EMIT failed(result.second);
        else if (!result.first.isEmpty()) Q_EMIT loaded(result.first);
        startPending();
    });
    watcher->setFuture(QtConcurrent::run([path = registryPath_, runs = pendingRuns_, steps = pendingSteps_]() -> Result {
        QVector<LoadedSeries> out;
        try {
            const mtl::Registry registry(path.toStdString());
            for (const qint64 run : runs) {
                for (const std::string& key : registry.metricKeys(run)) {
                    LoadedSeries s;
                    s.runId = run;
                    s.key = QString::fromStdString(key);
                    const auto known = steps.value(run);
                    s.replace = !known.contains(s.key);
                    const auto points = s.replace ? registry.series(run, key) : registry.seriesAfter(run, key, known.value(s.key));
                    if (points.empty() && !s.replace) continue;
                    s.steps.reserve(qsizetype(points.size()));
                    s.wallTimes.reserve(qsizetype(points.size()));
                    s.values.reserve(qsizetype(points.size()));
                    for (const auto& p : points) {
                        s.steps.push_back(double(p.step));
                        s.wallTimes.push_back(p.wallTime);
                        s.values.push_back(p.value);
                    }
                    out.push_back(std::move(s));
                }
            }
        } catch (const std::exception& e) {
            return {{}, QString::fromStdString(e.what())};
        }
        return {out, {}};
    }));
}
