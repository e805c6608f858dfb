#include "core/train/TrainingRun.h"

#include "core/common/Device.h"
#include "core/common/VersionReport.h"
#include "core/common/Error.h"
#include "core/common/Version.h"
#include "core/data/DatasetLocator.h"
#include "core/experiment/RunFolder.h"
#include "core/eval/EvaluationSamples.h"
#include "core/eval/RunResults.h"
#include "core/eval/Validation.h"
#include "core/experiment/ModelSpecFor.h"
#include "core/model/Checkpoint.h"
#include "core/model/PretrainedWeights.h"
#include "core/train/BatchLoader.h"
#include "core/train/BestCheckpoint.h"
#include "core/train/EmaTeacher.h"
#include "core/train/Optimizer.h"
#include "core/train/SemiSupervisedStep.h"
#include "core/train/TrainingData.h"

#include <cctype>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <limits>
#include <sstream>

namespace fs = std::filesystem;

namespace mtl {
namespace {

using Clock = std::chrono::steady_clock;

double now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string folderName(std::int64_t id, const std::string& name) {
    std::string safe;
    for (char c : name) safe += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return std::to_string(id) + "-" + safe;
}

// A head needs samples labeled for its task: without any, its loss would be zero at every step.
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

} // namespace

TrainingRun::TrainingRun(ExperimentConfig config, std::string registryPath, std::string runsRoot, std::string runDir)
    : config_(std::move(config)), registryPath_(std::move(registryPath)) {
    // Bad input fails here, before anything is written: the device, and a data set given by its
    // root (the default synthetic set is generated later, in the run's thread).
    const std::string device = resolveDevice(config_.train.device);
    if (config_.data.dataset.find(':') != std::string::npos) locateDataset(config_.data.dataset, {});
    // Names are checked by the schema; this guards configs built in code.
    parseBackbone(config_.model.backbone);
    parseTaskSet(config_.model.tasks);
    if (!config_.model.pretrained.empty() && !fs::is_regular_file(config_.model.pretrained))
        throw InputError("model.pretrained: " + config_.model.pretrained + ": no such file");
    Registry registry(registryPath_);
    id_ = registry.createRun(config_.name, toYaml(config_), "", device, config_.seed);
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

std::unique_ptr<TrainingRun> TrainingRun::resume(std::int64_t runId, std::string registryPath) {
    return std::unique_ptr<TrainingRun>(new TrainingRun(ResumeTag{}, runId, std::move(registryPath)));
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

void TrainingRun::execute(TrainingObserver* observer) {
    TrainingObserver silent;
    TrainingObserver& obs = observer ? *observer : silent;
    std::ofstream runLog(fs::path(runDir_) / "run.log", std::ios::app);
    auto say = [&](const std::string& line) {
        runLog << line << std::endl;
        obs.onMessage(line);
    };
    std::string message;
    std::unique_ptr<Registry> registry;
    try {
        registry = std::make_unique<Registry>(registryPath_);
        registry->setStatus(id_, RunStatus::Running);
        registry->setRunMetadata(id_, projectVersion(), libraryVersions());
        const std::pair<const char*, const char*> filesAtStart[] = {
            {"config", runfiles::kConfig}, {"log", runfiles::kLog}, {"metrics_csv", runfiles::kMetrics}};
        for (const auto& [kind, file] : filesAtStart)
            registry->recordArtifact(id_, kind, (fs::path(runDir_) / file).string());
        writeRunInfo(runDir_, *registry->run(id_), registry->checkpoints(id_));
        status_ = RunStatus::Running;

        const TrainConfig& tc = config_.train;
        configureTorchThreads(tc.threads);
        torch::manual_seed(static_cast<uint64_t>(config_.seed));
        const torch::Device device(resolveDevice(tc.device));
        say("run " + std::to_string(id_) + " on " + device.str() + " with " +
            std::to_string(at::get_num_threads()) + " CPU threads; folder " + runDir_);
        if (tc.mixedPrecision && !device.is_cuda())
            say("warning: train.mixed_precision applies to CUDA only; this run computes in float32");

        const DatasetLocation data = locateDataset(config_.data.dataset, config_.data.synthetic, [&](int done, int total) {
            if (done == total) say("generated " + std::to_string(total) + " synthetic images");
        });
        const TrainingData td = prepareTrainingData(config_, data);
        say(td.summary);
        if (!td.splitJson.empty()) {
            registry->setRunSplit(id_, td.splitJson);
            std::ofstream(fs::path(runDir_) / runfiles::kSplit) << td.splitJson;
            registry->recordArtifact(id_, "split", (fs::path(runDir_) / runfiles::kSplit).string());
        }
        const OnDataError onError = config_.data.onError == "skip" ? OnDataError::Skip : OnDataError::Fail;
        std::vector<std::string> valSkipped;
        const auto valSet = openDataset(data, config_.data.valSplit, onError);
        const EvalConfig& ec = config_.eval;
        auto valSamples = loadForEvaluation(*valSet, ec.inputWidth, ec.inputHeight, ec.maxImages,
                                            config_.data.workers, onError, valSkipped);
        say("validation: " + std::to_string(valSamples.size()) + " images of " + valSet->description() +
            " at " + (ec.inputWidth > 0 ? std::to_string(ec.inputWidth) + "x" + std::to_string(ec.inputHeight)
                                        : std::string("full resolution")) +
            (valSkipped.empty() ? std::string()
                                : "; skipped " + std::to_string(valSkipped.size()) + " unreadable (first: " +
                                      valSkipped.front() + ")"));

        const ClassNames& classes = td.train->classes();
        const ModelSpec spec = modelSpecFor(config_.model, classes);
        checkLabelsFor(spec, *td.train, config_.data.dataset);
        MultiTaskModel model(spec);
        if (!config_.model.pretrained.empty()) {
            const int n = loadPretrainedBackbone(*model->backbone(), config_.model.pretrained);
            say("backbone: " + std::to_string(n) + " tensors from " + config_.model.pretrained);
        } else {
            say("warning: model.pretrained is not set: the backbone starts from random weights "
                "(the paper starts from ImageNet weights)");
        }
        say("model: " + architectureName(spec));
        model->to(device);
        auto optimizer = makeSgd(model->parametersForWeightDecay(), tc.lr, tc.momentum, tc.weightDecay);
        EmaTeacher teacher(*model, tc.emaDecay);
        const SemiSupervisedOptions method = semiSupervisedOptions(config_);
        SemiSupervisedStep learner(method, config_.augment, *model, teacher, device);
        say("method: " + displayName(method.method) +
            (method.method != LearningMethod::Supervised
                 ? " (" + toString(config_.augment.mode) + " strong view)"
                 : learner.usesAugmenter() ? std::string(" on the weak view") : std::string(" on the loader's images")) +
            "; evaluation uses the EMA teacher (decay " + std::to_string(tc.emaDecay) + ")");

        const std::string checkpoint = (fs::path(runDir_) / runfiles::kCheckpoint).string();
        const std::string csvPath = (fs::path(runDir_) / runfiles::kMetrics).string();
        std::int64_t firstStep = 0;
        if (resuming_ && fs::is_regular_file(checkpoint)) {
            firstStep = loadCheckpoint(checkpoint, *model, optimizer.get(), &teacher.model()).step;
            say("resumed from " + checkpoint + " at step " + std::to_string(firstStep));
        } else if (resuming_) {
            say("resuming: no checkpoint yet, starting at step 0");
        }
        // What was logged after the checkpoint is logged again by the steps that follow it.
        registry->truncateAfter(id_, firstStep);
        if (resuming_) truncateMetricsCsv(csvPath, firstStep);

        BatchLoaderOptions lo;
        lo.width = tc.inputWidth;
        lo.height = tc.inputHeight;
        lo.hflip = tc.hflip && !learner.usesAugmenter(); // the augmenter flips its own views
        if (method.method != LearningMethod::Supervised) lo.hiddenLabels = td.allLabels;
        lo.seed = static_cast<std::uint64_t>(config_.seed);
        lo.workers = config_.data.workers;
        lo.pinMemory = device.is_cuda();
        lo.onError = onError;
        BatchLoader loader(td.train, td.sampler, lo, /*firstBatch=*/firstStep);
        std::size_t reportedSkips = 0;

        const bool csvExists = resuming_ && fs::is_regular_file(csvPath);
        std::ofstream csv(csvPath, csvExists ? std::ios::app : std::ios::trunc);
        if (!csvExists) csv << "step,key,value,wall_time\n";
        auto logValues = [&](std::int64_t step, const std::vector<std::pair<std::string, double>>& values) {
            const double t = now();
            registry->logMetrics(id_, step, values, t);
            // Full precision: `mtlw import` reads the values back from this file.
            for (const auto& [k, v] : values)
                csv << step << ',' << k << ',' << std::setprecision(std::numeric_limits<double>::max_digits10) << v << ','
                    << std::setprecision(15) << t << '\n';
            csv.flush();
        };
        PostprocessOptions post;
        post.scoreThreshold = config_.eval.scoreThreshold;
        BestCheckpoint best(runDir_, classes);
        auto runValidation = [&](std::int64_t step) {
            MultiTaskModelImpl& evaluated = teacher.model();
            ValidationReport r = validate(evaluated, valSamples, device, post);
            r.step = step;
            std::vector<std::pair<std::string, double>> values;
            if (r.hasSeg()) values.push_back({"val/mIoU", r.mIoU});
            if (r.hasDet()) values.insert(values.end(), {{"val/mAP", r.mAP}, {"val/AP50", r.AP50}});
            if (r.hasSeg() && r.hasDet()) values.push_back({"val/geo_mean", r.geometricMean});
            logValues(step, values);
            lastValidation_ = r;
            std::vector<ClassResult> perClass;
            for (std::size_t c = 0; c < r.segIoU.size(); ++c)
                perClass.push_back({step, "seg", classes.seg.at(c), "IoU",
                                    r.segIoU[c].value_or(std::numeric_limits<double>::quiet_NaN())});
            for (std::size_t c = 0; c < r.detAP.size(); ++c)
                perClass.push_back({step, "det", classes.det.at(c), "AP",
                                    r.detAP[c].value_or(std::numeric_limits<double>::quiet_NaN())});
            registry->recordClassResults(id_, perClass);
            std::ofstream((fs::path(runDir_) / runfiles::kResults).string()) << validationResultsJson(r, classes);
            registry->recordArtifact(id_, "results", (fs::path(runDir_) / runfiles::kResults).string());
            if (best.offer(r, evaluated)) {
                say("step " + std::to_string(step) + ": new best geometric mean " + std::to_string(r.geometricMean) +
                    ", saved as best.pt");
                registry->recordCheckpoint(id_, "best", step, best.checkpointPath(), r.geometricMean);
            }
            obs.onValidation(r);
        };

        const auto t0 = Clock::now();
        auto periodStart = t0;
        double periodWait = loader.waitSeconds();
        torch::Tensor sumSeg = torch::zeros({}, device), sumCls = sumSeg.clone(), sumBox = sumSeg.clone();
        torch::Tensor sumTotal = sumSeg.clone();
        // Losses are checked when logged and before every checkpoint, and the weights before every
        // checkpoint, so a checkpoint on disk never holds a diverged model.
        auto requireFinite = [&](std::int64_t done) {
            const double sum = sumTotal.item<double>();
            if (!std::isfinite(sum))
                throw Diverged("loss is not finite (" + std::to_string(sum) + ") by step " + std::to_string(done));
            for (const auto& p : model->parameters())
                if (!torch::isfinite(p).all().item<bool>())
                    throw Diverged("weights are not finite at step " + std::to_string(done));
        };
        auto saveLast = [&](std::int64_t done) {
            requireFinite(done);
            saveCheckpoint(checkpoint, *model, optimizer.get(), done, &teacher.model());
            registry->recordCheckpoint(id_, "last", done, checkpoint, std::numeric_limits<double>::quiet_NaN());
            writeRunInfo(runDir_, *registry->run(id_), registry->checkpoints(id_));
        };
        int inPeriod = 0;
        std::int64_t step = firstStep;
        for (; step < tc.steps && !stop_; ++step) {
            const double lr = polyLearningRate(tc.lr, step, tc.steps, tc.polyPower);
            setLearningRate(*optimizer, lr);

            const TrainBatch batch = loader.next();
            const StepLosses losses = learner.losses(batch, step);

            optimizer->zero_grad();
            losses.total.backward();
            if (tc.gradClipNorm > 0) torch::nn::utils::clip_grad_norm_(model->parameters(), tc.gradClipNorm);
            optimizer->step();
            teacher.update(*model);

            sumTotal += losses.total.detach();
            sumSeg += losses.seg.detach();
            sumCls += losses.detClassification.detach();
            sumBox += losses.detRegression.detach();
            ++inPeriod;
            const std::int64_t done = step + 1;
            if (done % tc.logEvery == 0 || done == tc.steps) {
                StepReport r;
                r.step = done;
                r.totalSteps = tc.steps;
                r.segLoss = sumSeg.item<double>() / inPeriod;
                r.detClsLoss = sumCls.item<double>() / inPeriod;
                r.detBoxLoss = sumBox.item<double>() / inPeriod;
                r.loss = sumTotal.item<double>() / inPeriod; // Σt γt (Ls,t + λ Lu,t)
                r.lr = lr;
                const auto t = Clock::now();
                const double period = std::chrono::duration<double>(t - periodStart).count();
                r.secondsPerStep = period / inPeriod;
                r.loaderWaitShare = period > 0 ? (loader.waitSeconds() - periodWait) / period : 0;
                r.elapsed = std::chrono::duration<double>(t - t0).count();
                if (!std::isfinite(r.loss))
                    throw Diverged("loss is not finite (" + std::to_string(r.loss) + ") at step " + std::to_string(done));
                std::vector<std::pair<std::string, double>> values{{"train/loss", r.loss}};
                if (spec.hasSeg()) values.push_back({"train/seg_loss", r.segLoss});
                if (spec.hasDet())
                    values.insert(values.end(), {{"train/det_cls_loss", r.detClsLoss},
                                                 {"train/det_box_loss", r.detBoxLoss},
                                                 {"train/det_loss", r.detLoss()}});
                values.push_back({"train/lr", lr});
                for (auto& v : learner.takeDiagnostics()) values.push_back(std::move(v));
                logValues(done, values);
                obs.onStep(r);
                if (loader.skippedSamples() > reportedSkips) {
                    const auto messages = loader.skippedMessages();
                    obs.onMessage("warning: " + std::to_string(messages.size()) +
                                  " unreadable training samples left out so far; latest: " + messages.back());
                    reportedSkips = messages.size();
                }
                sumTotal.zero_();
                sumSeg.zero_();
                sumCls.zero_();
                sumBox.zero_();
                inPeriod = 0;
                periodStart = t;
                periodWait = loader.waitSeconds();
            }
            if (done % tc.checkpointEvery == 0) saveLast(done);
            if (config_.eval.every > 0 && done % config_.eval.every == 0 && done != tc.steps)
                runValidation(done);
        }
        saveLast(step);
        if (stop_) {
            status_ = RunStatus::Interrupted;
            message = "stopped at step " + std::to_string(step) + " of " + std::to_string(tc.steps);
        } else {
            runValidation(step);
            status_ = RunStatus::Finished;
        }
    } catch (const Diverged& e) {
        status_ = RunStatus::Diverged;
        std::string kept = "no checkpoint was written before";
        if (registry)
            for (const auto& c : registry->checkpoints(id_))
                if (c.kind == "last") kept = "the last good checkpoint (step " + std::to_string(c.step) + ") is kept";
        message = std::string(e.what()) + "; " + kept;
    } catch (const InputError& e) {
        status_ = RunStatus::Failed;
        message = e.what();
        inputError_ = true;
    } catch (const std::exception& e) {
        status_ = RunStatus::Failed;
        message = e.what();
    }
    error_ = status_ == RunStatus::Failed ? message : std::string();
    if (!message.empty()) runLog << "run " << toString(status_) << ": " << message << std::endl;
    try {
        if (!registry) registry = std::make_unique<Registry>(registryPath_);
        registry->setStatus(id_, status_, message);
        writeRunInfo(runDir_, *registry->run(id_), registry->checkpoints(id_));
    } catch (const std::exception& e) {
        message += std::string(message.empty() ? "" : "; ") + "registry: " + e.what();
    }
    running_ = false;
    obs.onFinished(status_, message);
}

} // namespace mtl
