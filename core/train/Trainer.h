#pragma once
// The step loop of a run. A step draws the loader's next batch, asks the method's step
// (SemiSupervisedStep) for the loss, steps the optimiser at the poly learning rate and moves the EMA
// teacher; then every periodic action whose period has come runs, in order (PeriodicActions.h:
// logging, teacher snapshots, checkpoints, validation). Nothing here waits for the device: the
// actions do, at their periods. TrainingRun builds the trainer and its actions and owns the run's
// lifecycle.
#include "core/experiment/ExperimentConfig.h"
#include "core/train/BatchLoader.h"
#include "core/train/EmaTeacher.h"
#include "core/train/LossMeter.h"
#include "core/train/SemiSupervisedStep.h"

#include <torch/torch.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace mtl {

class DataParallel;
class PeriodicAction;

class Trainer {
public:
    // `model` is on `device` with its starting weights; the optimiser, the EMA teacher (a copy of
    // it) and the method's step follow the config.
    Trainer(const ExperimentConfig& config, MultiTaskModel model, const torch::Device& device);
    ~Trainer();

    // Student, optimiser and teacher from a checkpoint; training continues after its step.
    void resumeFrom(const std::string& checkpoint);
    // Student and teacher from a checkpoint (train.init_from); the optimiser and the step start
    // afresh. Returns the checkpoint's step.
    std::int64_t initialiseFrom(const std::string& checkpoint);
    // Data-parallel: rank 0's weights everywhere (the same seed gives the same ones; this makes it
    // so), the loss weighed by the global batch and, with `syncBatchNorm`, BatchNorm normalising
    // with the global batch's statistics. Returns the BatchNorm layers synchronised.
    int distribute(DataParallel& processes, bool syncBatchNorm);
    void setLoader(std::unique_ptr<BatchLoader> loader) { loader_ = std::move(loader); }

    // Trains from firstStep() to train.steps, each step followed by the actions that are due; a
    // `stop` request (on any process) ends it after the current step. Returns the steps done.
    std::int64_t run(std::atomic<bool>& stop, const std::vector<std::unique_ptr<PeriodicAction>>& actions);

    std::int64_t firstStep() const { return firstStep_; }
    const torch::Device& device() const { return device_; }
    MultiTaskModelImpl& student() { return *model_; }
    EmaTeacher& teacher() { return *teacher_; }
    torch::optim::Optimizer& optimizer() { return *optimizer_; }
    LossMeter& meter() { return meter_; }
    SemiSupervisedStep& step() { return *step_; }
    BatchLoader& loader() { return *loader_; }
    double learningRate() const { return learningRate_; } // of the last step

private:
    void trainStep(std::int64_t step);

    TrainConfig train_;
    torch::Device device_;
    MultiTaskModel model_;
    std::unique_ptr<torch::optim::Optimizer> optimizer_;
    std::unique_ptr<EmaTeacher> teacher_;
    LossMeter meter_; // the logging period's losses and diagnostics, on the device
    std::unique_ptr<SemiSupervisedStep> step_;
    std::unique_ptr<BatchLoader> loader_;
    DataParallel* processes_ = nullptr;
    std::vector<torch::Tensor> buffers_; // data-parallel: the student's, kept equal to rank 0's
    std::int64_t firstStep_ = 0;
    double learningRate_ = 0;
};

} // namespace mtl
