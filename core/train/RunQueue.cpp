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

RunQueue::RunQueue(std::string registryPath, int concurrency, ObserverFactory makeObserver)
    : registryPath_(std::move(registryPath)), concurrency_(concurrency), makeObserver_(std::move(makeObserver)) {
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

std::int64_t RunQueue::add(ExperimentConfig config, const std::string& runsRoot, const std::string& runDir) {
    if (config.train.threads == 0)
        config.train.threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / concurrency_);
    return push(std::make_unique<TrainingRun>(std::move(config), registryPath_, runsRoot, runDir));
}

std::int64_t RunQueue::addResume(std::int64_t runId) { return push(TrainingRun::resume(runId, registryPath_)); }

std::int64_t RunQueue::push(std::unique_ptr<TrainingRun> run) {
    const std::int64_t id = run->id();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto entry = std::make_unique<Entry>();
        entry->run = std::move(run);
        entries_.push_back(std::move(entry));
    }
    changed_.notify_all();
    return id;
}

void RunQueue::finished() {
    std::lock_guard<std::mutex> lock(mutex_);
    changed_.notify_all();
}

void RunQueue::dispatch() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!closing_) {
        int active = 0;
        for (auto& e : entries_) {
            // A run's thread has ended once running() is false after start: join it here.
            if (e->state == Entry::State::Active && !e->run->running()) {
                lock.unlock();
                e->run->wait();
                lock.lock();
                e->state = Entry::State::Done;
            }
            if (e->state == Entry::State::Active) ++active;
        }
        for (auto& e : entries_) {
            if (e->state != Entry::State::Pending || stopping_ || active >= concurrency_) continue;
            e->observer = makeObserver_ ? makeObserver_(e->run->id(), e->run->config().name) : nullptr;
            e->relay = std::make_unique<Relay>(e->observer.get(), [this] { finished(); });
            e->state = Entry::State::Active;
            e->run->start(e->relay.get());
            ++active;
        }
        changed_.notify_all(); // waitAll watches the states
        changed_.wait(lock);
    }
}

void RunQueue::stopAll() {
    std::vector<std::int64_t> neverStarted;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        for (auto& e : entries_) {
            if (e->state == Entry::State::Active) e->run->requestStop();
            if (e->state == Entry::State::Pending) {
                e->state = Entry::State::Done;
                neverStarted.push_back(e->run->id());
            }
        }
    }
    if (!neverStarted.empty()) {
        Registry registry(registryPath_);
        for (std::int64_t id : neverStarted) registry.setStatus(id, RunStatus::Interrupted, "stopped before it started");
    }
    changed_.notify_all();
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

} // namespace mtl
