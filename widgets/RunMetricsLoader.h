#pragma once
// Reads runs' metric series from the registry off the GUI thread (its own Registry connection per
// request, as the registry wants one per thread): whole series when runs are selected, only the
// points after the last known step while they train. One request at a time; a request made while
// one is running is merged into the next.
#include <QMap>
#include <QObject>
#include <QVector>

struct LoadedSeries {
    qint64 runId = 0;
    QString key;
    bool replace = false; // whole series (else points to append)
    QVector<double> steps, wallTimes, values;
};

class RunMetricsLoader : public QObject {
    Q_OBJECT
public:
    explicit RunMetricsLoader(QString registryPath, QObject* parent = nullptr);
    ~RunMetricsLoader() override;
    // lastSteps[run][key] = last step already shown (absent: load the whole series).
    void request(const QList<qint64>& runs, const QMap<qint64, QMap<QString, qint64>>& lastSteps);
    bool busy() const { return busy_; }

Q_SIGNALS:
    void loaded(const QVector<LoadedSeries>& batch);
    void failed(const QString& message);

private:
    void startPending();

    QString registryPath_;
    bool busy_ = false;
    bool hasPending_ = false;
    QList<qint64> pendingRuns_;
    QMap<qint64, QMap<QString, qint64>> pendingSteps_;
};
