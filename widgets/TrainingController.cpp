#include "widgets/TrainingController.h"

#include "core/experiment/Registry.h"
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
    : QObject(parent), registryPath_(std::move(registryPath)) {
    // runFinished is emitted on the training thread; the next run starts from the GUI thread.
    connect(this, &TrainingController::runFinished, this, &TrainingController::startNext, Qt::QueuedConnection);
}

TrainingController::~TrainingController() { stopAndWait(); }

qint64 TrainingController::start(const mtl::ExperimentConfig& config) { return enqueue({config}).front(); }

std::vector<qint64> TrainingController::enqueue(const std::vector<mtl::ExperimentConfig>& configs) {
    std::vector<std::unique_ptr<mtl::TrainingRun>> made;
    try {
        for (const auto& c : configs) made.push_back(std::make_unique<mtl::TrainingRun>(c, registryPath_.toStdString()));
    } catch (...) {
        std::vector<qint64> recorded;
        for (const auto& r : made) recorded.push_back(r->id());
        markInterrupted(recorded, "not started: a run queued with it had bad input");
        throw;
    }
    std::vector<qint64> ids;
    for (auto& r : made) {
        ids.push_back(r->id());
        waiting_.push_back(std::move(r));
    }
    if (!isRunning()) startNext();
    Q_EMIT queueChanged(queuedCount());
    return ids;
}

void TrainingController::resume(qint64 runId) {
    for (const auto& w : waiting_)
        if (w->id() == runId) return; // already waiting its turn
    if (run_ && run_->running() && currentId_ == runId) return;
    waiting_.push_back(mtl::TrainingRun::resume(runId, registryPath_.toStdString()));
    if (!isRunning()) startNext();
    Q_EMIT queueChanged(queuedCount());
}

void TrainingController::startNext() {
    // Reached through runFinished, which the run emits as its last act: its thread is about to
    // end, so joining it here is immediate.
    if (run_ && !run_->running()) run_->wait();
    if (isRunning()) return;
    if (waiting_.empty()) return;
    run_ = std::move(waiting_.front());
    waiting_.pop_front();
    currentId_ = run_->id();
    observer_ = std::make_unique<Observer>(this, currentId_);
    run_->start(observer_.get());
    Q_EMIT queueChanged(queuedCount());
}

void TrainingController::stop() {
    if (run_) run_->requestStop();
}

void TrainingController::stopAndWait() {
    std::vector<qint64> never = queuedRunIds();
    waiting_.clear();
    markInterrupted(never, "queue closed before the run started");
    if (run_) {
        run_->requestStop();
        run_->wait();
    }
    if (!never.empty()) Q_EMIT queueChanged(0);
}

bool TrainingController::cancelQueued(qint64 runId) {
    for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
        if ((*it)->id() != runId) continue;
        waiting_.erase(it);
        markInterrupted({runId}, "taken off the queue before it started");
        Q_EMIT queueChanged(queuedCount());
        return true;
    }
    return false;
}

std::vector<qint64> TrainingController::queuedRunIds() const {
    std::vector<qint64> ids;
    for (const auto& r : waiting_) ids.push_back(r->id());
    return ids;
}

void TrainingController::markInterrupted(const std::vector<qint64>& ids, const char* why) {
    if (ids.empty()) return;
    mtl::Registry registry(registryPath_.toStdString());
    for (const qint64 id : ids) registry.setStatus(id, mtl::RunStatus::Interrupted, why);
}

bool TrainingController::isRunning() const { return run_ && run_->running(); }
