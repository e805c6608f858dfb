#include "core/train/TrainingRun.h"

#include "core/common/Device.h"
#include "core/common/Error.h"
#include "core/common/ThreadPriority.h"
#include "core/data/DatasetLocator.h"
#include "core/eval/EvaluationSamples.h"
#include "core/experiment/RunFolder.h"
#include "core/experiment/ModelSpecFor.h"
#include "core/model/PretrainedWeights.h"
#include "core/train/BatchLoader.h"
#include "core/train/BestCheckpoint.h"
#include "core/train/DataParallel.h"
#include "core/train/RunRecorder.h"
#include "core/train/PeriodicActions.h"
#include "core/train/TeacherSnapshotter.h"
#include "core/train/Trainer.h"
#include "core/train/TrainingData.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

namespace fs = std::filesystem;

namespace mtl {
namespace {

// "cpu" or "cuda", and for a data-parallel run its processes and backend: the registry's device.
std::string deviceText(const std::string& device, const ProcessWorld& world) {
    if (!world.distributed()) return device;
    return device + " x" + std::to_string(world.size) + " processes (" +
           (device.rfind("cuda", 0) == 0 ? "nccl" : "gloo") + ")";
}

// The global batch is split evenly: each process takes every size-th sample.
void checkBatchSplits(const ExperimentConfig& config, const ProcessWorld& world) {
    if (config.train.batchSize % world.size != 0)
        throw InputError("train.batch_size " + std::to_string(config.train.batchSize) +
                         " is the global batch and must be a multiple of the " + std::to_string(world.size) +
                         " processes");
}

} // namespace

TrainingRun::TrainingRun(ExperimentConfig config, std::string registryPath, std::string runsRoot, std::string runDir,
                         DataParallelSetup parallel)
    : config_(std::move(config)), registryPath_(std::move(registryPath)), parallel_(std::move(parallel)) {
    // Bad input fails here, before anything is written: the device, and a data set given by its
    // root (the default synthetic set is generated later, in the run's thread).
    const std::string device = resolveDevice(nameOf(config_.train.device));
    if (config_.data.dataset.find(':') != std::string::npos) locateDataset(config_.data.dataset, {});
    checkBatchSplits(config_, parallel_.world);
    if (!config_.model.pretrained.empty() && !fs::is_regular_file(config_.model.pretrained))
        throw InputError("model.pretrained: " + config_.model.pretrained + ": no such file");
    Registry registry(registryPath_);
    id_ = registry.createRun(config_.name, toYaml(config_), "", deviceText(device, parallel_.world), config_.seed);
    runDir_ = createRunFolder(registry, id_, config_.name, toYaml(config_), std::move(runsRoot), runDir);
}

std::unique_ptr<TrainingRun> TrainingRun::resume(std::int64_t runId, std::string registryPath,
                                                 DataParallelSetup parallel) {
    std::unique_ptr<TrainingRun> run(new TrainingRun(ResumeTag{}, runId, std::move(registryPath)));
    checkBatchSplits(run->config_, parallel.world);
    run->parallel_ = std::move(parallel);
    return run;
}

TrainingRun::TrainingRun(OtherRankTag) {}

std::unique_ptr<TrainingRun> TrainingRun::otherRank(DataParallelSetup parallel) {
    std::unique_ptr<TrainingRun> run(new TrainingRun(OtherRankTag{}));
    run->parallel_ = std::move(parallel);
    return run;
}

TrainingRun::TrainingRun(ResumeTag, std::int64_t runId, std::string registryPath)
    : registryPath_(std::move(registryPath)), id_(runId), resuming_(true) {
    Registry registry(registryPath_); // opening it marks runs of dead processes interrupted
    const RunRecord record = resumableRun(registry, runId);
    config_ = parseExperimentConfig(record.configYaml, "run " + std::to_string(runId) + "'s stored config");
    runDir_ = record.runDir;
    resolveDevice(nameOf(config_.train.device));
    registry.setStatus(id_, RunStatus::Queued, "resuming");
}

TrainingRun::~TrainingRun() {
    requestStop();
    if (thread_.joinable()) thread_.join();
}

void TrainingRun::start(TrainingObserver* observer) {
    if (thread_.joinable()) throw Error("run " + std::to_string(id_) + " was already started");
    running_ = true;
    thread_ = std::thread([this, observer] { execute(observer); });
}

void TrainingRun::requestStop() { stop_ = true; }

RunStatus TrainingRun::wait() {
    if (thread_.joinable()) thread_.join();
    return status_;
}

void TrainingRun::execute(TrainingObserver* observer) {
    lowerCurrentThreadPriority(backgroundNice_); // before the loader's and LibTorch's threads exist
    TrainingObserver silent;
    TrainingObserver& obs = observer ? *observer : silent;
    const auto recorder = isWritingRank() ? std::make_unique<RunRecorder>(id_, runDir_, registryPath_, obs)
                                   : std::make_unique<RunRecorder>(obs);
    RunRecorder& record = *recorder;
    std::string message;
    try {
        record.begin();
        status_ = RunStatus::Running;
        std::vector<std::unique_ptr<PeriodicAction>> actions;
        const std::unique_ptr<Trainer> trainer = setUp(record, actions);
        const std::int64_t done = trainer->run(stop_, actions);
        status_ = stop_ ? RunStatus::Interrupted : RunStatus::Finished;
        if (stop_) message = "stopped at step " + std::to_string(done) + " of " + std::to_string(config_.train.steps);
    } catch (const PeerLost& e) {
        // Another process died or hung: what it trained up to the last checkpoint is kept.
        status_ = RunStatus::Interrupted;
        const std::string gone = processes_ ? processes_->lostPeers() : std::string();
        message = "data-parallel run stopped: " + (gone.empty() ? std::string() : gone + "; ") + e.what() +
                  "; continue it with mtlw run --resume " + std::to_string(id_) + " --nproc-per-node " +
                  std::to_string(parallel_.world.size);
    } catch (const Diverged& e) {
        status_ = RunStatus::Diverged;
        message = std::string(e.what()) + "; " + record.keptCheckpoint();
    } catch (const InputError& e) {
        status_ = RunStatus::Failed;
        message = e.what();
        inputError_ = true;
    } catch (const std::exception& e) {
        status_ = RunStatus::Failed;
        message = e.what();
    }
    // Rank 0 names this rank's failure in the run's message (its collectives fail once we exit).
    if (processes_ && !isWritingRank() && (status_ == RunStatus::Failed || status_ == RunStatus::Diverged))
        processes_->reportFailure(message);
    error_ = status_ == RunStatus::Failed ? message : std::string();
    message = record.end(status_, message);
    running_ = false;
    obs.onFinished(status_, message);
}

void TrainingRun::joinProcesses(RunRecorder& record) {
    const ProcessWorld& world = parallel_.world;
    record.say(world.describe() + ": waiting up to " + std::to_string(parallel_.timeoutSeconds) +
               " s for the other processes");
    processes_ = std::make_unique<DataParallel>(world, std::chrono::milliseconds(1000LL * parallel_.timeoutSeconds));
    if (isWritingRank()) {
        processes_->post("config", toYaml(config_));
    } else {
        config_ = parseExperimentConfig(processes_->read("config"), "rank 0's config");
        checkBatchSplits(config_, world);
    }
}

// The processes, threads, seed and device; then the data set, found (or generated, by rank 0
// before the others look for it) and opened with the run's split.
TrainingData TrainingRun::openData(RunRecorder& record, DatasetLocation& where) {
    const ProcessWorld& world = parallel_.world;
    if (world.distributed()) joinProcesses(record);
    const TrainConfig& tc = config_.train;
    // Processes on one machine share its cores unless the config says how many each takes.
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    configureTorchThreads(tc.threads == 0 && world.localSize > 1 ? std::max(1, cores / world.localSize) : tc.threads);
    torch::manual_seed(static_cast<uint64_t>(config_.seed));
    torch::Device device(resolveDevice(nameOf(tc.device)));
    if (device.is_cuda() && world.distributed()) device = torch::Device(torch::kCUDA, world.localRank);
    device_ = device.str();
    if (processes_) processes_->startGroup(device);
    record.say("run " + std::to_string(id_) + " on " + device.str() + " with " +
               std::to_string(at::get_num_threads()) + " CPU threads" +
               (processes_ ? ", " + world.describe() + ", " + processes_->backend() : std::string()) +
               (isWritingRank() ? "; folder " + runDir_ : std::string()));
    if (tc.mixedPrecision && !device.is_cuda())
        record.say("warning: train.mixed_precision applies to CUDA only; this run computes in float32");

    if (processes_ && !isWritingRank()) processes_->read("data_ready");
    where = locateDataset(config_.data.dataset, config_.data.synthetic, [&](int done, int total) {
        if (done == total) record.say("generated " + std::to_string(total) + " synthetic images");
    });
    if (processes_ && isWritingRank()) processes_->post("data_ready", "1");
    TrainingData data = prepareTrainingData(config_, where);
    record.say(data.summary);
    if (!data.splitJson.empty()) record.recordSplit(data.splitJson);
    return data;
}

// The model of the config for the data set's classes, with its pretrained backbone, and the
// trainer around it, resumed and distributed as the run is.
std::unique_ptr<Trainer> TrainingRun::makeTrainer(const TrainingData& data, RunRecorder& record) {
    const ModelSpec spec = modelSpecFor(config_.model, data.train->classes());
    checkLabelsFor(spec, *data.train, config_.data.dataset);
    MultiTaskModel model(spec);
    if (!config_.model.pretrained.empty()) {
        const int n = loadPretrainedBackbone(*model->backbone(), config_.model.pretrained);
        record.say("backbone: " + std::to_string(n) + " tensors from " + config_.model.pretrained);
    } else {
        record.say("warning: model.pretrained is not set: the backbone starts from random weights "
                   "(the paper starts from ImageNet weights)");
    }
    record.say("model: " + architectureName(spec));
    const torch::Device device(device_);
    model->to(device);
    auto trainer = std::make_unique<Trainer>(config_, model, device);
    const LearningMethod method = config_.train.method;
    record.say("method: " + method.displayName() +
               (method.learnsFromTeacher()         ? " (" + toString(config_.augment.mode) + " strong view)"
                : trainer->step().usesAugmenter() ? std::string(" on the weak view")
                                                  : std::string(" on the loader's images")) +
               "; evaluation uses the EMA teacher (decay " + std::to_string(config_.train.emaDecay) + ")");
    if (config_.train.pseudoSource == PseudoSource::Oracle)
        record.say("train.pseudo_source: oracle (a control): Lu trains on every label the data set has, the ones "
                   "the split hides included, moved from the weak views as the teacher's would be; the teacher "
                   "still follows the student for evaluation");
    resumeIfAsked(*trainer, record);
    if (processes_) {
        const int layers = trainer->distribute(*processes_, config_.model.syncBn);
        if (config_.model.syncBn)
            record.say("model.sync_bn: " + std::to_string(layers) +
                       " BatchNorm layers normalise with the global batch's statistics");
    }
    record.restartAfter(trainer->firstStep(), resuming_);
    return trainer;
}

std::unique_ptr<Trainer> TrainingRun::setUp(RunRecorder& record, std::vector<std::unique_ptr<PeriodicAction>>& actions) {
    DatasetLocation where;
    const TrainingData data = openData(record, where);
    const OnDataError onError = config_.data.onError; // validation and training alike
    std::vector<Sample> validation;
    if (isWritingRank()) // rank 0 validates
        validation = loadValidationImages(config_, where, *data.train, [&](const std::string& line) { record.say(line); });
    std::unique_ptr<Trainer> trainer = makeTrainer(data, record);

    const TrainConfig& tc = config_.train;
    BatchLoaderOptions lo;
    lo.width = tc.inputWidth;
    lo.height = tc.inputHeight;
    lo.hflip = tc.hflip && !trainer->step().usesAugmenter(); // the augmenter flips its own views
    if (tc.method.learnsFromTeacher()) lo.hiddenLabels = data.allLabels;
    lo.seed = static_cast<std::uint64_t>(config_.seed);
    lo.workers = config_.data.workers;
    lo.pinMemory = trainer->device().is_cuda();
    lo.onError = onError;
    lo.shardIndex = parallel_.world.rank;
    lo.shardCount = parallel_.world.size;
    trainer->setLoader(std::make_unique<BatchLoader>(data.train, data.sampler, lo, trainer->firstStep()));

    // In the order they run after a step; each knows which ranks it acts on.
    const ClassNames& classes = data.train->classes();
    actions.push_back(std::make_unique<PeriodLogger>(tc, record, processes_.get(), isWritingRank()));
    std::unique_ptr<TeacherSnapshotter> snapshots;
    if (isWritingRank() && config_.diagnostics.every > 0) {
        const ModelSpec& spec = trainer->student().spec();
        snapshots = std::make_unique<TeacherSnapshotter>(config_, data, spec.hasSeg(), spec.hasDet(), runDir_,
                                                         trainer->firstStep());
        record.recordArtifact("teacher_snapshots", snapshots->indexFile());
    }
    actions.push_back(std::make_unique<SnapshotTaker>(std::move(snapshots), record));
    actions.push_back(std::make_unique<CheckpointWriter>(checkpointPath(), tc.checkpointEvery, record, isWritingRank()));
    PostprocessOptions postprocess;
    postprocess.scoreThreshold = config_.eval.scoreThreshold;
    actions.push_back(std::make_unique<Validator>(
        std::move(validation), postprocess, config_.eval.every, tc.steps,
        isWritingRank() ? std::make_unique<BestCheckpoint>(runDir_, classes) : nullptr, classes, record, lastValidation_,
        config_.eval.scoreStudent));
    return trainer;
}

std::string TrainingRun::checkpointPath() const { return (fs::path(runDir_) / runfiles::kCheckpoint).string(); }

// Rank 0 finds the run folder's checkpoint and tells the others which one.
void TrainingRun::resumeIfAsked(Trainer& trainer, RunRecorder& record) {
    std::string path;
    if (isWritingRank()) {
        if (resuming_ && fs::is_regular_file(checkpointPath())) path = checkpointPath();
        else if (resuming_) record.say("resuming: no checkpoint yet, starting at step 0");
        if (processes_) processes_->post("resume", path);
    } else {
        // The run folder must be on a file system every node sees (docs/CLUSTER.md).
        path = processes_->read("resume");
        resuming_ = !path.empty();
        if (resuming_ && !fs::is_regular_file(path))
            throw InputError("rank " + std::to_string(parallel_.world.rank) + ": rank 0's checkpoint " + path +
                             " is not visible here (the run folder must be on a shared file system)");
    }
    if (path.empty()) return;
    trainer.resumeFrom(path);
    record.say("resumed from " + path + " at step " + std::to_string(trainer.firstStep()));
}

} // namespace mtl
