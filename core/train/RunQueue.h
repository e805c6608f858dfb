#pragma once
// Several training runs in one process, shared by `mtlw sweep --local` and the GUI (through its Qt
// adapter, TrainingController), so that both queue, cancel and stop runs the same way. Each added
// run is recorded as queued at once (the GUI and `mtlw runs` see it), and at most `concurrency` of
// them train at a time, each in its own thread; a run starts in the call that adds it when a slot
// is free. With a concurrency above 1, runs whose config leaves train.threads at 0 (all cores) get
// an equal share of the cores instead, so that concurrent runs do not oversubscribe the CPU.
// Torch-free.
#include "core/train/TrainingRun.h"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace mtl {

struct QueuedRunResult {
    std::int64_t id = 0;
    std::string name, runDir;
    RunStatus status = RunStatus::Queued;
    std::string error;       // TrainingRun::errorMessage
    bool failedOnInput = false;
    std::optional<ValidationReport> validation;
};

class RunQueue {
public:
    // Makes the observer of a run as it starts (may return null). Called with the queue locked, on
    // the thread that added the run or on the queue's own thread: it must not call the queue.
    using ObserverFactory = std::function<std::unique_ptr<TrainingObserver>(std::int64_t id, const std::string& name)>;
    // Told, from any thread and with the queue unlocked, that runs were added, started, ended or
    // taken off the queue.
    using ChangeListener = std::function<void()>;

    RunQueue(std::string registryPath, int concurrency, ObserverFactory makeObserver = {},
             ChangeListener onChange = {});
    ~RunQueue(); // stopAll() and waitAll()
    RunQueue(const RunQueue&) = delete;
    RunQueue& operator=(const RunQueue&) = delete;

    // Records the run now (queued) and returns its id; it starts when a slot is free.
    std::int64_t add(ExperimentConfig config, const std::string& runsRoot = {}, const std::string& runDir = {});
    // All or none: when one config is bad, the runs already recorded for the others are marked
    // interrupted ("not started: a run queued with it had bad input") and the error is rethrown;
    // otherwise every run is queued, in order.
    std::vector<std::int64_t> addAll(const std::vector<ExperimentConfig>& configs, const std::string& runsRoot = {});
    // Queues registry run `runId` to continue from its last checkpoint (TrainingRun::resume throws
    // InputError when it cannot); a run already waiting or training here is left as it is.
    std::int64_t addResume(std::int64_t runId);

    // Takes a run that has not started off the queue (marked interrupted, resumable); false when
    // `runId` is not waiting here.
    bool cancel(std::int64_t runId);
    // Training runs end as interrupted after their current step; the waiting ones then start.
    void stopRunning();
    // Training runs end as interrupted after their current step; runs not started yet are marked
    // interrupted (resumable) and never start. Runs added later are queued as usual.
    void stopAll();
    // Blocks until every added run has ended; results in the order the runs were added.
    std::vector<QueuedRunResult> waitAll();

    std::vector<std::int64_t> waitingIds() const;  // in the order they will start
    std::vector<std::int64_t> trainingIds() const; // started and not yet ended
    int concurrency() const { return concurrency_; }
    // Runs started from now on train at this many nice steps below the queue owner (the GUI: 5).
    void setBackgroundPriority(int niceIncrement) { backgroundNice_ = niceIncrement; }

private:
    int backgroundNice_ = 0;
    struct Entry {
        std::unique_ptr<TrainingRun> run;
        std::unique_ptr<TrainingObserver> observer, relay;
        enum class State { Waiting, Started, Done } state = State::Waiting;
    };
    std::unique_ptr<TrainingRun> makeRun(ExperimentConfig config, const std::string& runsRoot,
                                         const std::string& runDir) const;
    std::vector<std::int64_t> push(std::vector<std::unique_ptr<TrainingRun>> runs);
    int startWaitingLocked(); // returns how many runs it started
    void dispatch();
    void finished(); // from a run's thread, at its end
    void notifyChange();
    void markInterrupted(const std::vector<std::int64_t>& ids, const std::string& why) const;

    std::string registryPath_;
    int concurrency_;
    ObserverFactory makeObserver_;
    ChangeListener onChange_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::unique_ptr<Entry>> entries_;
    bool closing_ = false;
    std::thread dispatcher_;
};

} // namespace mtl
