#pragma once
// Bridges core's TrainingRun (its own thread) to the GUI thread: observer callbacks become queued
// signals carrying plain values, never tensors. Runs queued together (the designer's grid) are
// recorded in the registry as queued at once and train one after another.
#include <QObject>
#include <QString>

#include <deque>
#include <memory>
#include <vector>

namespace mtl {
class TrainingRun;
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
    // Records every config as a queued run (all or none: a bad one throws before any is recorded)
    // and trains them in order after the current one; returns their ids.
    std::vector<qint64> enqueue(const std::vector<mtl::ExperimentConfig>& configs);
    // Queues run `runId` of the registry to continue from its last checkpoint (TrainingRun::resume);
    // InputError when it cannot be resumed.
    void resume(qint64 runId);
    void stop();          // asks the current run to end after its current step (the queue goes on)
    void stopAndWait();   // current run interrupted, waiting runs interrupted, when this returns
    bool cancelQueued(qint64 runId); // takes a waiting run off the queue (marked interrupted)
    bool isRunning() const;
    qint64 currentRunId() const { return currentId_; }
    int queuedCount() const { return int(waiting_.size()); }
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
    void startNext();
    void markInterrupted(const std::vector<qint64>& ids, const char* why);

    QString registryPath_;
    std::unique_ptr<Observer> observer_;
    std::unique_ptr<mtl::TrainingRun> run_;
    std::deque<std::unique_ptr<mtl::TrainingRun>> waiting_;
    qint64 currentId_ = 0;
};
