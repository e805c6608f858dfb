#include "core/train/TrainingRun.h"

#include "core/common/Device.h"
#include "core/common/Error.h"
#include "core/common/ThreadPriority.h"
#include "core/data/DatasetLocator.h"
#include "core/experiment/RunFolder.h"
#include "core/eval/EvaluationSamples.h"
#include "core/eval/Validation.h"
#include "core/experiment/ModelSpecFor.h"
#include "core/experiment/ScaleCheck.h"
#include "core/model/Checkpoint.h"
#include "core/model/PretrainedWeights.h"
#include "core/model/SyncBatchNorm.h"
#include "core/train/BatchLoader.h"
#include "core/train/BestCheckpoint.h"
#include "core/train/DataParallel.h"
#include "core/train/EmaTeacher.h"
#include "core/train/LossMeter.h"
#include "core/train/Optimizer.h"
#include "core/train/RunRecorder.h"
#include "core/train/SemiSupervisedStep.h"
#include "core/train/TeacherSnapshotter.h"
#include "core/train/TrainingData.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>

namespace fs = std::filesystem;

namespace mtl {
namespace {

using Clock = std::chrono::steady_clock;

std::string folderName(std::int64_t id, const std::string& name) {
    std::string safe;
    for (char c : name) safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return std::to_string(id) + "-" + safe;
}

// A head needs samples labeled for its task: without any, its loss would be zero at every step.
// The data set's image size from its first sample's labels; a sample that cannot be read is the
// loader's business (data.on_error), not this check's.
void warnOnScaleMismatch(const Dataset& train, const ExperimentConfig& config, RunRecorder& record) {
    if (train.size() == 0) return;
    cv::Size source;
    try {
        source = train.loadLabels(0).imageSize;
    } catch (const DataError&) {
        return;
    }
    const std::string warning = evaluationScaleWarning(config, source.width, source.height);
    if (!warning.empty()) record.say("warning: " + warning);
}

void checkLabelsFor(const ModelSpec& spec, const Dataset& train, const std::string& dataset) {
    const std::string tasks = "model.tasks '" + taskSetName(spec.tasks) + "'";
    if (spec.hasSeg() && train.labeledCount(Task::Segmentation) == 0)
        throw InputError(tasks + " has a segmentation head, but no training image of " + dataset +
                         " is labeled for segmentation (use model.tasks: det)");
    if (spec.hasDet() && train.labeledCount(Task::Detection) == 0)
        throw InputError(tasks + " has a detection head, but no training image of " + dataset +
                         " is labeled for detection (use model.tasks: seg)");
}

// A non-finite loss or weight: the run ends as diverged, keeping the last checkpoint written before.
struct Diverged : Error {
    using Error::Error;
};

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

// Teacher checksums travel with a period's totals under this key (never a metric).
constexpr const char* kTeacherChecksum = "#teacher_checksum";

} // namespace

TrainingRun::TrainingRun(ExperimentConfig config, std::string registryPath, std::string runsRoot, std::string runDir,
                         DataParallelSetup parallel)
    : config_(std::move(config)), registryPath_(std::move(registryPath)), parallel_(std::move(parallel)) {
    // Bad input fails here, before anything is written: the device, and a data set given by its
    // root (the default synthetic set is generated later, in the run's thread).
    const std::string device = resolveDevice(config_.train.device);
    if (config_.data.dataset.find(':') != std::string::npos) locateDataset(config_.data.dataset, {});
    // Names are checked by the schema; this guards configs built in code.
    parseBackbone(config_.model.backbone);
    parseTaskSet(config_.model.tasks);
    checkBatchSplits(config_, parallel_.world);
    if (!config_.model.pretrained.empty() && !fs::is_regular_file(config_.model.pretrained))
        throw InputError("model.pretrained: " + config_.model.pretrained + ": no such file");
    Registry registry(registryPath_);
    id_ = registry.createRun(config_.name, toYaml(config_), "", deviceText(device, parallel_.world), config_.seed);
    if (runsRoot.empty()) runsRoot = (fs::path(registryPath_).parent_path() / "runs").string();
    // Absolute: the registry may be read from another working directory.
    runDir_ = fs::absolute(runDir.empty() ? fs::path(runsRoot) / folderName(id_, config_.name) : fs::path(runDir))
                  .lexically_normal()
                  .string();
    std::error_code ec;
    fs::create_directories(runDir_, ec);
    if (ec) {
        registry.setStatus(id_, RunStatus::Failed, "cannot create " + runDir_ + ": " + ec.message());
        throw Error("cannot create run folder " + runDir_ + ": " + ec.message());
    }
    registry.setRunDir(id_, runDir_);
    std::ofstream(fs::path(runDir_) / runfiles::kConfig) << toYaml(config_);
    writeRunInfo(runDir_, *registry.run(id_), {});
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
    const auto record = registry.run(runId);
    if (!record) throw InputError("registry " + registryPath_ + ": no run with id " + std::to_string(runId));
    if (!isResumable(record->status))
        throw InputError("run " + std::to_string(runId) + " is " + toString(record->status) +
                         (record->status == RunStatus::Running
                              ? " (pid " + std::to_string(record->pid) + " on " + record->host + ")"
                              : std::string()) +
                         ": only interrupted, failed or queued runs can be resumed");
    if (!fs::is_directory(record->runDir))
        throw InputError("run " + std::to_string(runId) + ": its folder " + record->runDir + " is gone");
    config_ = parseExperimentConfig(record->configYaml, "run " + std::to_string(runId) + "'s stored config");
    runDir_ = record->runDir;
    resolveDevice(config_.train.device);
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

// Everything a run trains with, set up in its thread before the first step.
struct TrainingRun::Session {
    Session(torch::Device d, TrainingData training) : device(d), data(std::move(training)), meter(d) {}
    torch::Device device;
    TrainingData data;
    ModelSpec spec;
    std::vector<Sample> validation; // at eval.input_width × eval.input_height, labels at full size
    PostprocessOptions postprocess;
    MultiTaskModel model{nullptr};
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    std::unique_ptr<EmaTeacher> teacher;
    LossMeter meter; // the logging period's losses and diagnostics, on the device
    std::unique_ptr<SemiSupervisedStep> learner;
    std::unique_ptr<BatchLoader> loader;
    std::unique_ptr<BestCheckpoint> best;
    std::unique_ptr<TeacherSnapshotter> snapshots; // null when diagnostics.every is 0 or it failed
    double snapshotSeconds = 0;
    int snapshotsTaken = 0;
    std::string checkpoint;
    std::int64_t firstStep = 0;
    Clock::time_point start, periodStart;
    double periodWait = 0;
    std::int64_t lastLogged = 0; // step of the previous logging period's end
    std::vector<torch::Tensor> buffers; // data-parallel: the student's, kept equal to rank 0's
};

void TrainingRun::execute(TrainingObserver* observer) {
    lowerCurrentThreadPriority(backgroundNice_); // before the loader's and LibTorch's threads exist
    TrainingObserver silent;
    TrainingObserver& obs = observer ? *observer : silent;
    const auto recorder = writes() ? std::make_unique<RunRecorder>(id_, runDir_, registryPath_, obs)
                                   : std::make_unique<RunRecorder>(obs);
    RunRecorder& record = *recorder;
    std::string message;
    try {
        record.begin();
        status_ = RunStatus::Running;
        const std::unique_ptr<Session> session = setUp(record);
        const std::int64_t done = trainSteps(*session, record);
        if (stop_) {
            status_ = RunStatus::Interrupted;
            message = "stopped at step " + std::to_string(done) + " of " + std::to_string(config_.train.steps);
        } else {
            if (writes()) validate(*session, record, done);
            status_ = RunStatus::Finished;
        }
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
    if (processes_ && !writes() && (status_ == RunStatus::Failed || status_ == RunStatus::Diverged))
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
    if (writes()) {
        processes_->post("config", toYaml(config_));
    } else {
        config_ = parseExperimentConfig(processes_->read("config"), "rank 0's config");
        checkBatchSplits(config_, world);
    }
}

std::unique_ptr<TrainingRun::Session> TrainingRun::setUp(RunRecorder& record) {
    const ProcessWorld& world = parallel_.world;
    if (world.distributed()) joinProcesses(record);
    const TrainConfig& tc = config_.train;
    // Processes on one machine share its cores unless the config says how many each takes.
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    configureTorchThreads(tc.threads == 0 && world.localSize > 1 ? std::max(1, cores / world.localSize) : tc.threads);
    torch::manual_seed(static_cast<uint64_t>(config_.seed));
    torch::Device device(resolveDevice(tc.device));
    if (device.is_cuda() && world.distributed()) device = torch::Device(torch::kCUDA, world.localRank);
    if (processes_) processes_->startGroup(device);
    record.say("run " + std::to_string(id_) + " on " + device.str() + " with " +
               std::to_string(at::get_num_threads()) + " CPU threads" +
               (processes_ ? ", " + world.describe() + ", " + processes_->backend() : std::string()) +
               (writes() ? "; folder " + runDir_ : std::string()));
    if (tc.mixedPrecision && !device.is_cuda())
        record.say("warning: train.mixed_precision applies to CUDA only; this run computes in float32");

    // Rank 0 generates the synthetic set (if it must) before the others look for it.
    if (processes_ && !writes()) processes_->read("data_ready");
    const DatasetLocation where = locateDataset(config_.data.dataset, config_.data.synthetic, [&](int done, int total) {
        if (done == total) record.say("generated " + std::to_string(total) + " synthetic images");
    });
    if (processes_ && writes()) processes_->post("data_ready", "1");
    auto s = std::make_unique<Session>(device, prepareTrainingData(config_, where));
    record.say(s->data.summary);
    if (!s->data.splitJson.empty()) record.recordSplit(s->data.splitJson);
    const OnDataError onError = config_.data.onError; // validation and training alike
    std::vector<std::string> valSkipped;
    const EvalConfig& ec = config_.eval;
    s->postprocess.scoreThreshold = ec.scoreThreshold;
    if (writes()) { // rank 0 validates
        const auto valSet = openDataset(where, config_.data.valSplit, onError);
        s->validation = loadForEvaluation(*valSet, ec.inputWidth, ec.inputHeight, ec.maxImages, config_.data.workers,
                                          onError, valSkipped);
        record.say("validation: " + std::to_string(s->validation.size()) + " images of " + valSet->description() + " at " +
                   (ec.inputWidth > 0 ? std::to_string(ec.inputWidth) + "x" + std::to_string(ec.inputHeight)
                                      : std::string("full resolution")) +
                   (valSkipped.empty() ? std::string()
                                       : "; skipped " + std::to_string(valSkipped.size()) + " unreadable (first: " +
                                             valSkipped.front() + ")"));
        warnOnScaleMismatch(*s->data.train, config_, record);
    }

    const ClassNames& classes = s->data.train->classes();
    s->spec = modelSpecFor(config_.model, classes);
    checkLabelsFor(s->spec, *s->data.train, config_.data.dataset);
    s->model = MultiTaskModel(s->spec);
    if (!config_.model.pretrained.empty()) {
        const int n = loadPretrainedBackbone(*s->model->backbone(), config_.model.pretrained);
        record.say("backbone: " + std::to_string(n) + " tensors from " + config_.model.pretrained);
    } else {
        record.say("warning: model.pretrained is not set: the backbone starts from random weights "
                   "(the paper starts from ImageNet weights)");
    }
    record.say("model: " + architectureName(s->spec));
    s->model->to(device);
    s->optimizer = makeOptimizer(s->model->parametersForWeightDecay(), tc);
    s->teacher = std::make_unique<EmaTeacher>(*s->model, tc.emaDecay);
    const SemiSupervisedOptions method = semiSupervisedOptions(config_);
    s->learner = std::make_unique<SemiSupervisedStep>(method, config_.augment, *s->model, *s->teacher, device, s->meter);
    record.say("method: " + method.method.displayName() +
               (method.method.learnsFromTeacher() ? " (" + toString(config_.augment.mode) + " strong view)"
                : s->learner->usesAugmenter()              ? std::string(" on the weak view")
                                                           : std::string(" on the loader's images")) +
               "; evaluation uses the EMA teacher (decay " + std::to_string(tc.emaDecay) + ")");

    loadCheckpointIfResuming(*s, record);
    if (processes_) makeOneModel(*s, record);
    record.restartAfter(s->firstStep, resuming_);

    BatchLoaderOptions lo;
    lo.width = tc.inputWidth;
    lo.height = tc.inputHeight;
    lo.hflip = tc.hflip && !s->learner->usesAugmenter(); // the augmenter flips its own views
    if (method.method.learnsFromTeacher()) lo.hiddenLabels = s->data.allLabels;
    lo.seed = static_cast<std::uint64_t>(config_.seed);
    lo.workers = config_.data.workers;
    lo.pinMemory = device.is_cuda();
    lo.onError = onError;
    lo.shardIndex = world.rank;
    lo.shardCount = world.size;
    s->loader = std::make_unique<BatchLoader>(s->data.train, s->data.sampler, lo, /*firstBatch=*/s->firstStep);
    if (!writes()) return s; // rank 0 keeps the best checkpoint and takes the snapshots
    s->best = std::make_unique<BestCheckpoint>(runDir_, classes);
    if (config_.diagnostics.every > 0) {
        s->snapshots = std::make_unique<TeacherSnapshotter>(config_, s->data, s->spec.hasSeg(), s->spec.hasDet(),
                                                            runDir_, s->firstStep);
        record.recordArtifact("teacher_snapshots", s->snapshots->indexFile());
    }
    return s;
}

// Data-parallel: rank 0's weights everywhere (the same seed gives the same ones; this makes it so),
// the losses and BatchNorm tied to the other processes.
void TrainingRun::makeOneModel(Session& s, RunRecorder& record) {
    std::vector<torch::Tensor> weights;
    for (torch::nn::Module* m : {static_cast<torch::nn::Module*>(s.model.get()),
                                 static_cast<torch::nn::Module*>(&s.teacher->model())}) {
        for (const auto& p : m->parameters()) weights.push_back(p);
        for (const auto& b : m->buffers()) weights.push_back(b);
    }
    torch::NoGradGuard noGrad;
    processes_->broadcastFromRank0(weights);
    s.learner->distribute(processes_.get());
    if (config_.model.syncBn) {
        DataParallel* processes = processes_.get();
        const int layers =
            synchronizeBatchNorm(*s.model, [processes](const torch::Tensor& t) { return processes->sum(t); });
        record.say("model.sync_bn: " + std::to_string(layers) +
                   " BatchNorm layers normalise with the global batch's statistics");
    }
    s.buffers = s.model->buffers();
}

// Rank 0 loads the run folder's checkpoint and tells the others which one, and the step.
void TrainingRun::loadCheckpointIfResuming(Session& s, RunRecorder& record) {
    std::string path;
    if (writes()) {
        s.checkpoint = (fs::path(runDir_) / runfiles::kCheckpoint).string();
        if (resuming_ && fs::is_regular_file(s.checkpoint)) path = s.checkpoint;
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
    s.firstStep = loadCheckpoint(path, *s.model, s.optimizer.get(), &s.teacher->model()).step;
    record.say("resumed from " + path + " at step " + std::to_string(s.firstStep));
}

// The step loop. Nothing in it waits for the device except at logging periods, checkpoints and
// validations.
std::int64_t TrainingRun::trainSteps(Session& s, RunRecorder& record) {
    const TrainConfig& tc = config_.train;
    s.start = s.periodStart = Clock::now();
    s.lastLogged = s.firstStep;
    s.periodWait = s.loader->waitSeconds();
    std::int64_t step = s.firstStep;
    for (; step < tc.steps; ++step) {
        // Every process stops at the same step, whichever was asked to.
        if (processes_ ? processes_->anyOf(stop_) : bool(stop_)) {
            stop_ = true;
            break;
        }
        const double lr = polyLearningRate(tc.lr, step, tc.steps, tc.polyPower);
        setLearningRate(*s.optimizer, lr);

        const TrainBatch batch = s.loader->next();
        const StepLosses losses = s.learner->losses(batch, step);
        s.optimizer->zero_grad();
        losses.total.backward();
        // The norm before clipping: how hard the step pushes, whether or not it is clipped.
        const auto params = s.model->parameters();
        if (processes_) processes_->averageGradients(params);
        s.meter.add("train/grad_norm", tc.gradClipNorm > 0 ? clipGradientNorm(params, tc.gradClipNorm) : gradientNorm(params));
        s.optimizer->step();
        if (processes_ && !s.buffers.empty()) {
            torch::NoGradGuard noGrad;
            processes_->broadcastFromRank0(s.buffers);
        }
        s.teacher->update(*s.model);

        const std::int64_t done = step + 1;
        if (done % tc.logEvery == 0 || done == tc.steps) logPeriod(s, record, done, lr);
        if (!writes()) continue;
        if (s.snapshots && s.snapshots->due(done)) takeSnapshot(s, record, done);
        if (done % tc.checkpointEvery == 0) saveCheckpoint(s, record, done);
        if (config_.eval.every > 0 && done % config_.eval.every == 0 && done != tc.steps) validate(s, record, done);
    }
    if (!writes()) return step;
    const double trained = std::chrono::duration<double>(Clock::now() - s.start).count();
    if (step > s.firstStep) {
        char line[200];
        std::snprintf(line, sizeof line, "training: %lld steps in %.1f s, %.4f s/step",
                      static_cast<long long>(step - s.firstStep), trained, trained / double(step - s.firstStep));
        std::string text = line;
        if (processes_) {
            // Rank 0's time in the gradients' all-reduce, waiting for slower ranks included.
            std::snprintf(line, sizeof line, "; all-reduce of the gradients %.1f s, %.1f %% of it",
                          processes_->collectiveSeconds(), trained > 0 ? 100 * processes_->collectiveSeconds() / trained : 0.0);
            text += line;
        }
        record.say(text);
    }
    saveCheckpoint(s, record, step);
    if (s.snapshotsTaken > 0) {
        const double total = trained;
        char line[160];
        std::snprintf(line, sizeof line, "teacher snapshots: %d taken in %.2f s, %.2f %% of the training time",
                      s.snapshotsTaken, s.snapshotSeconds, total > 0 ? 100 * s.snapshotSeconds / total : 0.0);
        record.say(line);
    }
    return step;
}

// A snapshot that cannot be written (a full disk) ends the snapshots, not the run.
void TrainingRun::takeSnapshot(Session& s, RunRecorder& record, std::int64_t done) {
    const auto t0 = Clock::now();
    try {
        s.snapshots->take(*s.learner, done);
        ++s.snapshotsTaken;
    } catch (const std::exception& e) {
        record.say(std::string("warning: teacher snapshots stop: ") + e.what());
        s.snapshots.reset();
    }
    s.snapshotSeconds += std::chrono::duration<double>(Clock::now() - t0).count();
}

void TrainingRun::logPeriod(Session& s, RunRecorder& record, std::int64_t done, double lr) {
    const auto t = Clock::now();
    const double period = std::chrono::duration<double>(t - s.periodStart).count();
    s.learner->closePeriod();
    s.meter.set("train/lr", lr);
    const auto values = periodMeans(s, done); // the period's one read from the device
    if (!writes()) return;
    auto mean = [&](const char* key) {
        for (const auto& [k, v] : values)
            if (k == key) return v;
        return 0.0;
    };
    StepReport r;
    r.step = done;
    r.totalSteps = config_.train.steps;
    r.loss = mean("train/loss");
    r.segLoss = mean("train/seg_loss");
    r.detClsLoss = mean("train/det_cls_loss");
    r.detBoxLoss = mean("train/det_box_loss");
    r.lr = lr;
    r.secondsPerStep = period / double(done - s.lastLogged);
    r.loaderWaitShare = period > 0 ? (s.loader->waitSeconds() - s.periodWait) / period : 0;
    r.elapsed = std::chrono::duration<double>(t - s.start).count();
    if (!std::isfinite(r.loss))
        throw Diverged("loss is not finite (" + std::to_string(r.loss) + ") at step " + std::to_string(done));
    record.reportStep(r, values);
    if (s.loader->skippedSamples() > 0) record.warnAboutSkippedSamples(s.loader->skippedMessages());
    s.periodStart = t;
    s.periodWait = s.loader->waitSeconds();
    s.lastLogged = done;
}

std::vector<std::pair<std::string, double>> TrainingRun::periodMeans(Session& s, std::int64_t done) {
    if (!processes_) return s.meter.takeMeans();
    std::vector<LossMeter::Total> totals = s.meter.takeTotals();
    totals.push_back({kTeacherChecksum, weightChecksum(s.teacher->model()), 1, true});
    const std::vector<std::string> periods = processes_->gatherText(LossMeter::encode(totals));
    std::string verdict;
    std::vector<std::pair<std::string, double>> means;
    if (writes()) {
        const double checksum = totals.back().sum;
        totals.pop_back();
        for (std::size_t r = 1; r < periods.size(); ++r) {
            std::vector<LossMeter::Total> theirs = LossMeter::decode(periods[r]);
            for (auto it = theirs.begin(); it != theirs.end(); ++it) {
                if (it->key != kTeacherChecksum) continue;
                if (it->sum != checksum && verdict.empty()) {
                    char text[200];
                    std::snprintf(text, sizeof text,
                                  "the EMA teacher's weights differ between rank 0 and rank %zu at step %lld "
                                  "(checksums %.17g and %.17g)", r, static_cast<long long>(done), checksum, it->sum);
                    verdict = text;
                }
                theirs.erase(it);
                break;
            }
            LossMeter::merge(totals, theirs);
        }
        means = LossMeter::means(totals);
        for (const auto& [key, value] : means)
            if (key == "train/loss" && !std::isfinite(value) && verdict.empty())
                verdict = "diverged: loss is not finite (" + std::to_string(value) + ") at step " + std::to_string(done);
    }
    // Rank 0 decides for every process, so that all end at the same step.
    verdict = processes_->broadcastText(verdict);
    if (verdict.rfind("diverged: ", 0) == 0) throw Diverged(verdict.substr(10));
    if (!verdict.empty()) throw Error(verdict);
    return means;
}

void TrainingRun::validate(Session& s, RunRecorder& record, std::int64_t done) {
    MultiTaskModelImpl& evaluated = s.teacher->model();
    ValidationReport r = mtl::validate(evaluated, s.validation, s.device, s.postprocess);
    r.step = done;
    lastValidation_ = r;
    record.recordValidation(r, s.data.train->classes());
    if (s.best->offer(r, evaluated)) record.recordBest(done, s.best->checkpointPath(), r.geometricMean);
    record.announceValidation(r);
}

// Losses are checked when logged and before every checkpoint, and the weights before every
// checkpoint, so a checkpoint on disk never holds a diverged model.
void TrainingRun::saveCheckpoint(Session& s, RunRecorder& record, std::int64_t done) {
    const double sum = s.meter.sum("train/loss");
    if (!std::isfinite(sum))
        throw Diverged("loss is not finite (" + std::to_string(sum) + ") by step " + std::to_string(done));
    for (const auto& p : s.model->parameters())
        if (!torch::isfinite(p).all().item<bool>())
            throw Diverged("weights are not finite at step " + std::to_string(done));
    mtl::saveCheckpoint(s.checkpoint, *s.model, s.optimizer.get(), done, &s.teacher->model());
    record.recordCheckpoint(done, s.checkpoint);
}

} // namespace mtl
