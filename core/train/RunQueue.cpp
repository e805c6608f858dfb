#include "core/train/RunQueue.h"

#include "core/common/Error.h"

#include <algorithm>

namespace mtl {
namespace {

// Passes everything on to the run's own observer and tells the queue when the run has ended.
class Relay : public TrainingObserver {
public:
    Relay(TrainingObserver* inner, std::function<void()> onEnd) : inner_(inner), onEnd_(std::move(onEnd)) {}
    void onMessage(const std::string& line) override {
        if (inner_) inner_->onMessage(line);
    }
    void onStep(const StepReport& r) override {
        if (inner_) inner_->onStep(r);
    }
    void onValidation(const ValidationReport& r) override {
        if (inner_) inner_->onValidation(r);
    }
    void onFinished(RunStatus status, const std::string& message) override {
        if (inner_) inner_->onFinished(status, message);
        onEnd_();
    }

private:
    TrainingObserver* inner_;
    std::function<void()> onEnd_;
};

} // namespace

RunQueue::RunQueue(std::string registryPath, int concurrency, ObserverFactory makeObserver, ChangeListener onChange)
    : registryPath_(std::move(registryPath)), concurrency_(concurrency), makeObserver_(std::move(makeObserver)),
      onChange_(std::move(onChange)) {
    if (concurrency_ < 1) throw InputError("a run queue needs a concurrency of at least 1, got " + std::to_string(concurrency));
    dispatcher_ = std::thread([this] { dispatch(); });
}

RunQueue::~RunQueue() {
    stopAll();
    waitAll();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        closing_ = true;
    }
    changed_.notify_all();
    dispatcher_.join();
}

std::unique_ptr<TrainingRun> RunQueue::makeRun(ExperimentConfig config, const std::string& runsRoot,
                                               const std::string& runDir) const {
    if (config.train.threads == 0 && concurrency_ > 1)
        config.train.threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / concurrency_);
    return std::make_unique<TrainingRun>(std::move(config), registryPath_, runsRoot, runDir);
}

std::int64_t RunQueue::add(ExperimentConfig config, const std::string& runsRoot, const std::string& runDir) {
    std::vector<std::unique_ptr<TrainingRun>> runs;
    runs.push_back(makeRun(std::move(config), runsRoot, runDir));
    return push(std::move(runs)).front();
}

std::vector<std::int64_t> RunQueue::addAll(const std::vector<ExperimentConfig>& configs, const std::string& runsRoot) {
    std::vector<std::unique_ptr<TrainingRun>> runs;
    try {
        for (const ExperimentConfig& c : configs) runs.push_back(makeRun(c, runsRoot, {}));
    } catch (...) {
        std::vector<std::int64_t> recorded;
        for (const auto& r : runs) recorded.push_back(r->id());
        markInterrupted(recorded, "not started: a run queued with it had bad input");
        throw;
    }
    return push(std::move(runs));
}

std::int64_t RunQueue::addResume(std::int64_t runId) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& e : entries_) {
            if (e->run->id() != runId) continue;
            if (e->state == Entry::State::Waiting || (e->state == Entry::State::Started && e->run->running())) return runId;
        }
    }
    std::vector<std::unique_ptr<TrainingRun>> runs;
    runs.push_back(TrainingRun::resume(runId, registryPath_));
    return push(std::move(runs)).front();
}

std::vector<std::int64_t> RunQueue::push(std::vector<std::unique_ptr<TrainingRun>> runs) {
    std::vector<std::int64_t> ids;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (auto& run : runs) {
            ids.push_back(run->id());
            auto entry = std::make_unique<Entry>();
            entry->run = std::move(run);
            entries_.push_back(std::move(entry));
        }
        startWaitingLocked();
    }
    changed_.notify_all();
    notifyChange();
    return ids;
}

int RunQueue::startWaitingLocked() {
    int active = 0;
    for (const auto& e : entries_)
        if (e->state == Entry::State::Started) ++active;
    int started = 0;
    for (const auto& e : entries_) {
        if (active >= concurrency_) break;
        if (e->state != Entry::State::Waiting) continue;
        e->observer = makeObserver_ ? makeObserver_(e->run->id(), e->run->config().name) : nullptr;
        e->relay = std::make_unique<Relay>(e->observer.get(), [this] { finished(); });
        e->run->setBackgroundPriority(backgroundNice_);
        e->run->start(e->relay.get());
        e->state = Entry::State::Started;
        ++active;
        ++started;
    }
    return started;
}

void RunQueue::finished() {
    std::lock_guard<std::mutex> lock(mutex_);
    changed_.notify_all();
}

void RunQueue::dispatch() {
    const auto ended = [this] {
        return std::any_of(entries_.begin(), entries_.end(), [](const auto& e) {
            return e->state == Entry::State::Started && !e->run->running();
        });
    };
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
        changed_.wait(lock, [&] { return closing_ || ended(); });
        if (closing_) return;
        // A run has ended once running() is false after its start: join its thread (unlocked, as
        // its last observer call may still be returning), then give its slot to a waiting run.
        std::vector<Entry*> ending;
        for (const auto& e : entries_)
            if (e->state == Entry::State::Started && !e->run->running()) ending.push_back(e.get());
        lock.unlock();
        for (Entry* e : ending) e->run->wait();
        lock.lock();
        for (Entry* e : ending) e->state = Entry::State::Done;
        startWaitingLocked();
        changed_.notify_all(); // waitAll watches the states
        lock.unlock();
        notifyChange();
        lock.lock();
    }
}

bool RunQueue::cancel(std::int64_t runId) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const auto& e) {
            return e->run->id() == runId && e->state == Entry::State::Waiting;
        });
        if (it == entries_.end()) return false;
        (*it)->state = Entry::State::Done;
    }
    markInterrupted({runId}, "taken off the queue before it started");
    changed_.notify_all();
    notifyChange();
    return true;
}

void RunQueue::stopRunning() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& e : entries_)
        if (e->state == Entry::State::Started) e->run->requestStop();
}

void RunQueue::stopAll() {
    std::vector<std::int64_t> neverStarted;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& e : entries_) {
            if (e->state == Entry::State::Started) e->run->requestStop();
            if (e->state == Entry::State::Waiting) {
                e->state = Entry::State::Done;
                neverStarted.push_back(e->run->id());
            }
        }
    }
    markInterrupted(neverStarted, "stopped before it started");
    changed_.notify_all();
    if (!neverStarted.empty()) notifyChange();
}

std::vector<QueuedRunResult> RunQueue::waitAll() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] {
        return std::all_of(entries_.begin(), entries_.end(),
                           [](const auto& e) { return e->state == Entry::State::Done; });
    });
    std::vector<QueuedRunResult> out;
    for (const auto& e : entries_) {
        TrainingRun& r = *e->run;
        QueuedRunResult q;
        q.id = r.id();
        q.name = r.config().name;
        q.runDir = r.runDir();
        const RunStatus status = r.wait();
        q.status = status == RunStatus::Queued ? RunStatus::Interrupted : status;
        q.error = r.errorMessage();
        q.failedOnInput = r.failedOnInput();
        q.validation = r.lastValidation();
        out.push_back(std::move(q));
    }
    return out;
}

std::vector<std::int64_t> RunQueue::waitingIds() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::int64_t> ids;
    for (const auto& e : entries_)
        if (e->state == Entry::State::Waiting) ids.push_back(e->run->id());
    return ids;
}

std::vector<std::int64_t> RunQueue::trainingIds() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::int64_t> ids;
    for (const auto& e : entries_)
        if (e->state == Entry::State::Started && e->run->running()) ids.push_back(e->run->id());
    return ids;
}

void RunQueue::notifyChange() {
    if (onChange_) onChange_();
}

void RunQueue::markInterrupted(const std::vector<std::int64_t>& ids, const std::string& why) const {
    if (ids.empty()) return;
    Registry registry(registryPath_);
    for (const std::int64_t id : ids) registry.setStatus(id, RunStatus::Interrupted, why);
}

} // namespace mtl
