#include "widgets/TrainingController.h"

#include "core/train/TrainingRun.h"

class TrainingController::Observer : public mtl::TrainingObserver {
public:
    Observer(TrainingController* owner, qint64 runId) : owner_(owner), runId_(runId) {}
    // Called on the training thread; the signals cross to the GUI thread as queued calls.
    void onMessage(const std::string& line) override { Q_EMIT owner_->message(QString::fromStdString(line)); }
    void onStep(const mtl::StepReport& r) override {
        Q_EMIT owner_->stepReported(runId_, r.step, r.totalSteps, r.loss, r.segLoss,
                                    r.detLoss(), r.lr, r.secondsPerStep);
    }
    void onValidation(const mtl::ValidationReport& r) override {
        Q_EMIT owner_->validationReported(runId_, r.step, r.mIoU, r.mAP);
    }
    void onFinished(mtl::RunStatus status, const std::string& message) override {
        Q_EMIT owner_->runFinished(runId_, QString::fromStdString(mtl::toString(status)),
                                   QString::fromStdString(message));
    }

private:
    TrainingController* owner_;
    qint64 runId_;
};

TrainingController::TrainingController(QString registryPath, QObject* parent)
    : QObject(parent), registryPath_(std::move(registryPath)) {}

TrainingController::~TrainingController() { stopAndWait(); }

qint64 TrainingController::start(const mtl::ExperimentConfig& config) {
    stopAndWait(); // one run at a time from the GUI in the skeleton
    run_ = std::make_unique<mtl::TrainingRun>(config, registryPath_.toStdString());
    currentId_ = run_->id();
    observer_ = std::make_unique<Observer>(this, currentId_);
    run_->start(observer_.get());
    return currentId_;
}

void TrainingController::stop() {
    if (run_) run_->requestStop();
}

void TrainingController::stopAndWait() {
    if (!run_) return;
    run_->requestStop();
    run_->wait();
}

bool TrainingController::isRunning() const { return run_ && run_->running(); }
