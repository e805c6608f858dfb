#include "widgets/TrainingController.h"

#include "core/train/RunQueue.h"

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

TrainingController::TrainingController(QString registryPath, QObject* parent) : QObject(parent) {
    queue_ = std::make_unique<mtl::RunQueue>(
        registryPath.toStdString(), 1,
        [this](std::int64_t id, const std::string&) {
            currentId_ = id;
            return std::make_unique<Observer>(this, id);
        },
        [this] { Q_EMIT queueChanged(queuedCount()); });
    // Training takes every core; the event loop must still get one the moment it has work.
    queue_->setBackgroundPriority(5);
}

TrainingController::~TrainingController() {
    stopAndWait();
    queue_.reset(); // its last change notifications reach a whole controller
}

qint64 TrainingController::start(const mtl::ExperimentConfig& config) { return enqueue({config}).front(); }

std::vector<qint64> TrainingController::enqueue(const std::vector<mtl::ExperimentConfig>& configs) {
    const auto ids = queue_->addAll(configs);
    return {ids.begin(), ids.end()};
}

void TrainingController::resume(qint64 runId) { queue_->addResume(runId); }

void TrainingController::stop() { queue_->stopRunning(); }

void TrainingController::stopAndWait() {
    queue_->stopAll();
    queue_->waitAll();
}

bool TrainingController::cancelQueued(qint64 runId) { return queue_->cancel(runId); }

bool TrainingController::isRunning() const { return !queue_->trainingIds().empty(); }

std::vector<qint64> TrainingController::queuedRunIds() const {
    const auto ids = queue_->waitingIds();
    return {ids.begin(), ids.end()};
}
