#pragma once
// The GUI's adapter over core's RunQueue (one run at a time), so that the GUI queues, cancels and
// stops runs exactly as `mtlw sweep --local` does. Observer callbacks and queue changes arrive on
// training threads and become queued signals carrying plain values, never tensors.
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <vector>

namespace mtl {
class RunQueue;
struct ExperimentConfig;
}

class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QString registryPath, QObject* parent = nullptr);
    // Stops a run still going and waits for it; runs still waiting are marked interrupted.
    ~TrainingController() override;

    // Starts a run in the background (after the ones waiting); returns its registry id. Throws
    // mtl::Error subclasses on bad input (nothing is started then).
    qint64 start(const mtl::ExperimentConfig& config);
    // Records every config as a queued run (all or none: when one is bad, those recorded are marked
    // interrupted and the error is thrown) and trains them in order after the current one.
    std::vector<qint64> enqueue(const std::vector<mtl::ExperimentConfig>& configs);
    // Queues run `runId` of the registry to continue from its last checkpoint (TrainingRun::resume);
    // InputError when it cannot be resumed.
    void resume(qint64 runId);
    void stop();          // asks the current run to end after its current step (the queue goes on)
    void stopAndWait();   // current run interrupted, waiting runs interrupted, when this returns
    bool cancelQueued(qint64 runId); // takes a waiting run off the queue (marked interrupted)
    bool isRunning() const;
    qint64 currentRunId() const { return currentId_; } // the run started last
    int queuedCount() const { return int(queuedRunIds().size()); }
    std::vector<qint64> queuedRunIds() const;

Q_SIGNALS:
    void message(const QString& line);
    void stepReported(qint64 runId, qint64 step, qint64 totalSteps, double loss, double segLoss,
                      double detLoss, double lr, double secondsPerStep);
    void validationReported(qint64 runId, qint64 step, double mIoU, double mAP);
    void runFinished(qint64 runId, const QString& status, const QString& message);
    void queueChanged(int waiting);

private:
    class Observer;
    std::atomic<qint64> currentId_{0};
    std::unique_ptr<mtl::RunQueue> queue_;
};
