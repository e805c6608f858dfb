#pragma once
// Bridges core's TrainingRun (its own thread) to the GUI thread: observer callbacks become queued
// signals carrying plain values, never tensors.
#include <QObject>
#include <QString>

#include <memory>

namespace mtl {
class TrainingRun;
struct ExperimentConfig;
}

class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QString registryPath, QObject* parent = nullptr);
    ~TrainingController() override; // stops a run still going and waits for it

    // Starts a run in the background; returns its registry id. Throws mtl::Error subclasses on bad
    // input (nothing is started then).
    qint64 start(const mtl::ExperimentConfig& config);
    void stop();          // asks the run to end after its current step
    void stopAndWait();   // the run is marked interrupted when this returns
    bool isRunning() const;
    qint64 currentRunId() const { return currentId_; }

Q_SIGNALS:
    void message(const QString& line);
    void stepReported(qint64 runId, qint64 step, qint64 totalSteps, double loss, double segLoss,
                      double detLoss, double lr, double secondsPerStep);
    void validationReported(qint64 runId, qint64 step, double mIoU, double mAP);
    void runFinished(qint64 runId, const QString& status, const QString& message);

private:
    class Observer;
    QString registryPath_;
    std::unique_ptr<Observer> observer_;
    std::unique_ptr<mtl::TrainingRun> run_;
    qint64 currentId_ = 0;
};
