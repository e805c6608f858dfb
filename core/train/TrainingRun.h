#pragma once
// One training run in a background thread: data → model → losses → optimiser, with metrics going
// to the registry and the run folder, and progress going to an observer (the CLI's progress bar or
// the GUI's live plot). Free of Torch and Qt headers.
#include "core/eval/ValidationReport.h"
#include "core/experiment/ExperimentConfig.h"
#include "core/experiment/Registry.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace mtl {

struct StepReport {
    std::int64_t step = 0; // 1-based: steps done
    std::int64_t totalSteps = 0;
    double loss = 0, segLoss = 0;
    double detClsLoss = 0, detBoxLoss = 0; // RetinaNet: focal loss, generalized IoU loss
    double detLoss() const { return detClsLoss + detBoxLoss; }
    double lr = 0;
    double secondsPerStep = 0; // mean over the last logging period
    double loaderWaitShare = 0; // share of that time spent waiting for data
    double elapsed = 0;
};

// Called from the training thread: implementations must hand data over to their own thread.
class TrainingObserver {
public:
    virtual ~TrainingObserver() = default;
    virtual void onMessage(const std::string& /*line*/) {}
    virtual void onStep(const StepReport&) {}
    virtual void onValidation(const ValidationReport&) {}
    virtual void onFinished(RunStatus /*status*/, const std::string& /*message*/) {}
};

class TrainingRun {
public:
    // Records the run in the registry (queued) and creates its folder beside the registry
    // (runs/<id>-<name>), under runsRoot when given, or exactly runDir when given.
    TrainingRun(ExperimentConfig config, std::string registryPath, std::string runsRoot = {},
                std::string runDir = {});
    // Continues run `runId` (interrupted, failed or queued) from its folder's last checkpoint: same
    // step, weights, optimiser state, sampler position and random state; metrics after that step are
    // dropped and written again. InputError when the run does not exist or cannot be resumed.
    static std::unique_ptr<TrainingRun> resume(std::int64_t runId, std::string registryPath);
    ~TrainingRun(); // stops and joins a run still going: it ends as interrupted
    TrainingRun(const TrainingRun&) = delete;
    TrainingRun& operator=(const TrainingRun&) = delete;

    std::int64_t id() const { return id_; }
    const std::string& runDir() const { return runDir_; }
    const ExperimentConfig& config() const { return config_; }

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
    TrainingRun(ResumeTag, std::int64_t runId, std::string registryPath);
    void execute(TrainingObserver* observer);

    ExperimentConfig config_;
    std::string registryPath_, runDir_;
    std::int64_t id_ = 0;
    bool resuming_ = false;
    std::atomic<bool> stop_{false}, running_{false};
    bool inputError_ = false;
    RunStatus status_ = RunStatus::Queued;
    std::optional<ValidationReport> lastValidation_;
    std::string error_;
    std::thread thread_;
};

} // namespace mtl
