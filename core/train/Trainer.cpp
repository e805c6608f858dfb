#include "core/train/Trainer.h"

#include "core/model/Checkpoint.h"
#include "core/model/SyncBatchNorm.h"
#include "core/train/DataParallel.h"
#include "core/train/Optimizer.h"
#include "core/train/PeriodicActions.h"

namespace mtl {

Trainer::Trainer(const ExperimentConfig& config, MultiTaskModel model, const torch::Device& device)
    : train_(config.train), device_(device), model_(std::move(model)), meter_(device) {
    optimizer_ = makeOptimizer(model_->parametersForWeightDecay(), train_);
    teacher_ = std::make_unique<EmaTeacher>(*model_, train_.emaDecay);
    step_ = std::make_unique<SemiSupervisedStep>(semiSupervisedOptions(config), config.augment, *model_, *teacher_,
                                                 device_, meter_);
}

Trainer::~Trainer() = default;

void Trainer::resumeFrom(const std::string& checkpoint) {
    firstStep_ = loadCheckpoint(checkpoint, *model_, optimizer_.get(), &teacher_->model()).step;
}

std::int64_t Trainer::initialiseFrom(const std::string& checkpoint) {
    return loadCheckpoint(checkpoint, *model_, nullptr, &teacher_->model()).step;
}

int Trainer::distribute(DataParallel& processes, bool syncBatchNorm) {
    std::vector<torch::Tensor> weights;
    for (torch::nn::Module* m : {static_cast<torch::nn::Module*>(model_.get()),
                                 static_cast<torch::nn::Module*>(&teacher_->model())}) {
        for (const auto& p : m->parameters()) weights.push_back(p);
        for (const auto& b : m->buffers()) weights.push_back(b);
    }
    torch::NoGradGuard noGrad;
    processes.broadcastFromRank0(weights);
    processes_ = &processes;
    step_->distribute(processes_);
    int layers = 0;
    if (syncBatchNorm)
        layers = synchronizeBatchNorm(*model_, [&processes](const torch::Tensor& t) { return processes.sum(t); });
    buffers_ = model_->buffers();
    return layers;
}

void Trainer::trainStep(std::int64_t step) {
    learningRate_ = polyLearningRate(train_.lr, step, train_.steps, train_.polyPower);
    setLearningRate(*optimizer_, learningRate_);
    const TrainBatch batch = loader_->next();
    const StepLosses losses = step_->losses(batch, step);
    optimizer_->zero_grad();
    losses.total.backward();
    // The norm before clipping: how hard the step pushes, whether or not it is clipped.
    const auto params = model_->parameters();
    if (processes_) processes_->averageGradients(params);
    meter_.add("train/grad_norm", train_.gradClipNorm > 0 ? clipGradientNorm(params, train_.gradClipNorm)
                                                          : gradientNorm(params));
    optimizer_->step();
    if (processes_ && !buffers_.empty()) {
        torch::NoGradGuard noGrad;
        processes_->broadcastFromRank0(buffers_);
    }
    teacher_->update(*model_);
}

std::int64_t Trainer::run(std::atomic<bool>& stop, const std::vector<std::unique_ptr<PeriodicAction>>& actions) {
    for (const auto& a : actions) a->begin(*this);
    std::int64_t step = firstStep_;
    for (; step < train_.steps; ++step) {
        // Every process stops at the same step, whichever was asked to.
        if (processes_ ? processes_->anyOf(stop) : bool(stop)) {
            stop = true;
            break;
        }
        trainStep(step);
        for (const auto& a : actions)
            if (a->due(step + 1)) a->run(*this, step + 1);
    }
    for (const auto& a : actions) a->finish(*this, step, !stop);
    return step;
}

} // namespace mtl
