#pragma once
// One training run in a background thread: data → model → losses → optimiser, with metrics going
// to the registry and the run folder, and progress going to an observer (the CLI's progress bar or
// the GUI's live plot). Free of Torch and Qt headers.
#include "core/experiment/ExperimentConfig.h"
#include "core/experiment/Registry.h"
#include "core/train/TrainingObserver.h"
#include "core/train/ProcessWorld.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace mtl {

class DataParallel;
class PeriodicAction;
class RunRecorder;
class Trainer;
struct DatasetLocation;
struct TrainingData;

// One run trained by several processes (docs/CLUSTER.md): each takes a shard of every global batch
// (train.batch_size is the global batch); rank 0 alone writes the registry, the run folder and the
// checkpoints, and validates. A collective that waits longer than `timeoutSeconds` for another
// process ends the run, interrupted.
struct DataParallelSetup {
    ProcessWorld world;
    int timeoutSeconds = 1800;
};

class TrainingRun {
public:
    // Records the run in the registry (queued) and creates its folder beside the registry
    // (runs/<id>-<name>), under runsRoot when given, or exactly runDir when given. With a
    // distributed `parallel`, this is rank 0's run.
    TrainingRun(ExperimentConfig config, std::string registryPath, std::string runsRoot = {},
                std::string runDir = {}, DataParallelSetup parallel = {});
    // Continues run `runId` (interrupted, failed or queued) from its folder's last checkpoint: same
    // step, weights, optimiser state, sampler position and random state; metrics after that step are
    // dropped and written again. InputError when the run does not exist or cannot be resumed.
    static std::unique_ptr<TrainingRun> resume(std::int64_t runId, std::string registryPath,
                                               DataParallelSetup parallel = {});
    // A rank other than 0 of a data-parallel run: it gets the run's config, and where to resume,
    // from rank 0 when it starts, and writes nothing.
    static std::unique_ptr<TrainingRun> otherRank(DataParallelSetup parallel);
    ~TrainingRun(); // stops and joins a run still going: it ends as interrupted
    TrainingRun(const TrainingRun&) = delete;
    TrainingRun& operator=(const TrainingRun&) = delete;

    std::int64_t id() const { return id_; }
    const std::string& runDir() const { return runDir_; }
    const ExperimentConfig& config() const { return config_; }

    // The run's thread (and the threads it starts) at this many nice steps below the caller's
    // priority: set by the GUI before start() so that training never starves its event loop.
    void setBackgroundPriority(int niceIncrement) { backgroundNice_ = niceIncrement; }
    void start(TrainingObserver* observer); // observer may be null; must outlive the run
    void requestStop();                     // the run ends after its current step, interrupted
    RunStatus wait();                       // joins; the final status
    bool running() const { return running_; }

    std::optional<ValidationReport> lastValidation() const { return lastValidation_; }
    const std::string& errorMessage() const { return error_; }
    // The run failed on bad input found in its thread (data labels, weights file): `mtlw` exits 2.
    bool failedOnInput() const { return inputError_; }

private:
    struct ResumeTag {};
    struct OtherRankTag {};
    TrainingRun(ResumeTag, std::int64_t runId, std::string registryPath);
    explicit TrainingRun(OtherRankTag);
    // This process writes the registry, the run folder and the checkpoints (rank 0).
    bool isWritingRank() const { return parallel_.world.isWritingRank(); }
    // Data-parallel: the rendezvous, then rank 0's config to the others.
    void joinProcesses(RunRecorder& record);
    // Set-up in the run's thread, in this order (TrainingRun.cpp).
    std::unique_ptr<Trainer> setUp(RunRecorder& record, std::vector<std::unique_ptr<PeriodicAction>>& actions);
    TrainingData openData(RunRecorder& record, DatasetLocation& where);
    std::unique_ptr<Trainer> makeTrainer(const TrainingData& data, RunRecorder& record);
    void resumeIfAsked(Trainer& trainer, RunRecorder& record);
    std::string checkpointPath() const;
    void execute(TrainingObserver* observer);

    ExperimentConfig config_;
    std::string registryPath_, runDir_;
    std::int64_t id_ = 0;
    bool resuming_ = false;
    std::atomic<bool> stop_{false}, running_{false};
    bool inputError_ = false;
    int backgroundNice_ = 0;
    RunStatus status_ = RunStatus::Queued;
    std::optional<ValidationReport> lastValidation_;
    std::string error_;
    std::thread thread_;
    DataParallelSetup parallel_;
    std::unique_ptr<DataParallel> processes_; // set up in the run's thread when distributed
    std::string device_;                      // the device trained on, once set up
};

} // namespace mtl
