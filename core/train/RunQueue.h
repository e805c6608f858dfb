#pragma once
// Several training runs in one process: each added run is recorded as queued at once (the GUI and
// `mtlw runs` see it), and at most `concurrency` of them train at a time, each in its own thread.
// Runs whose config leaves train.threads at 0 (all cores) get an equal share of the cores instead,
// so that concurrent runs do not oversubscribe the CPU. Torch-free.
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
    // Makes the observer of a run when it starts (may return null); called on the queue's thread.
    using ObserverFactory = std::function<std::unique_ptr<TrainingObserver>(std::int64_t id, const std::string& name)>;

    RunQueue(std::string registryPath, int concurrency, ObserverFactory makeObserver = {});
    ~RunQueue(); // stopAll() and waitAll()
    RunQueue(const RunQueue&) = delete;
    RunQueue& operator=(const RunQueue&) = delete;

    // Records the run now (queued) and returns its id; it starts when a slot is free.
    std::int64_t add(ExperimentConfig config, const std::string& runsRoot = {}, const std::string& runDir = {});
    std::int64_t addResume(std::int64_t runId);

    // Running runs end as interrupted after their current step; runs not started yet are marked
    // interrupted (resumable) and never start.
    void stopAll();
    // Blocks until every added run has ended; results in the order the runs were added.
    std::vector<QueuedRunResult> waitAll();
    int concurrency() const { return concurrency_; }

private:
    struct Entry {
        std::unique_ptr<TrainingRun> run;
        std::unique_ptr<TrainingObserver> observer, relay;
        enum class State { Pending, Active, Done } state = State::Pending;
    };
    std::int64_t push(std::unique_ptr<TrainingRun> run);
    void dispatch();
    void finished(); // from a run's thread, at its end

    std::string registryPath_;
    int concurrency_;
    ObserverFactory makeObserver_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::unique_ptr<Entry>> entries_;
    bool stopping_ = false, closing_ = false;
    std::thread dispatcher_;
};

} // namespace mtl
