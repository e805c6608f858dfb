#include "core/train/TrainingRun.h"

#include "core/common/Device.h"
#include "core/common/Error.h"
#include "core/data/CityscapesLabels.h"
#include "core/data/DatasetLocator.h"
#include "core/augment/SampleTransforms.h"
#include "core/model/InputNormalizer.h"
#include "core/model/SegmentationLoss.h"
#include "core/model/CenterNetCoder.h"
#include "core/train/BatchLoader.h"
#include "core/train/TrainingData.h"
#include "core/train/Validation.h"

#include <cctype>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
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

// Writes to a temporary file first: a crash while saving never leaves a truncated checkpoint.
void saveCheckpointAtomically(const MultiTaskNet& model, const std::string& path) {
    const std::string tmp = path + ".tmp";
    torch::save(model, tmp);
    fs::rename(tmp, path);
}

std::string jsonValue(const std::optional<double>& v) {
    if (!v || !std::isfinite(*v)) return "null";
    std::ostringstream s;
    s << std::setprecision(10) << *v;
    return s.str();
}

void writeResults(const std::string& path, const ValidationReport& r, const ClassNames& classes) {
    std::ofstream out(path);
    out << "{\n  \"step\": " << r.step << ",\n  \"images\": " << r.images
        << ",\n  \"mIoU\": " << jsonValue(r.mIoU) << ",\n  \"mAP\": " << jsonValue(r.mAP)
        << ",\n  \"AP50\": " << jsonValue(r.AP50) << ",\n  \"AP75\": " << jsonValue(r.AP75)
        << ",\n  \"geometric_mean\": " << jsonValue(r.geometricMean) << ",\n  \"seg_per_class\": {";
    for (std::size_t c = 0; c < r.segIoU.size(); ++c)
        out << (c ? ", " : "") << "\"" << classes.seg.at(c) << "\": " << jsonValue(r.segIoU[c]);
    out << "},\n  \"det_per_class\": {";
    for (std::size_t c = 0; c < r.detAP.size(); ++c)
        out << (c ? ", " : "") << "\"" << classes.det.at(c) << "\": " << jsonValue(r.detAP[c]);
    out << "}\n}\n";
}

} // namespace

TrainingRun::TrainingRun(ExperimentConfig config, std::string registryPath, std::string runsRoot)
    : config_(std::move(config)), registryPath_(std::move(registryPath)) {
    // Bad input fails here, before anything is written: the device, and a data set given by its
    // root (the default synthetic set is generated later, in the run's thread).
    const std::string device = resolveDevice(config_.train.device);
    if (config_.data.dataset.find(':') != std::string::npos) locateDataset(config_.data.dataset, {});
    Registry registry(registryPath_);
    id_ = registry.createRun(config_.name, toYaml(config_), "", device, config_.seed);
    if (runsRoot.empty()) runsRoot = (fs::path(registryPath_).parent_path() / "runs").string();
    runDir_ = (fs::path(runsRoot) / folderName(id_, config_.name)).string();
    std::error_code ec;
    fs::create_directories(runDir_, ec);
    if (ec) {
        registry.setStatus(id_, RunStatus::Failed, "cannot create " + runDir_ + ": " + ec.message());
        throw Error("cannot create run folder " + runDir_ + ": " + ec.message());
    }
    registry.setRunDir(id_, runDir_);
    std::ofstream(fs::path(runDir_) / "config.yaml") << toYaml(config_);
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
    std::string message;
    std::unique_ptr<Registry> registry;
    try {
        registry = std::make_unique<Registry>(registryPath_);
        registry->setStatus(id_, RunStatus::Running);
        status_ = RunStatus::Running;

        const TrainConfig& tc = config_.train;
        configureTorchThreads(tc.threads);
        torch::manual_seed(static_cast<uint64_t>(config_.seed));
        const torch::Device device(resolveDevice(tc.device));
        obs.onMessage("run " + std::to_string(id_) + " on " + device.str() + " with " +
                      std::to_string(at::get_num_threads()) + " CPU threads; folder " + runDir_);

        const DatasetLocation data = locateDataset(config_.data.dataset, config_.data.synthetic, [&](int done, int total) {
            if (done == total) obs.onMessage("generated " + std::to_string(total) + " synthetic images");
        });
        const TrainingData td = prepareTrainingData(config_, data);
        obs.onMessage(td.summary);
        if (!td.splitJson.empty()) {
            registry->setRunSplit(id_, td.splitJson);
            std::ofstream(fs::path(runDir_) / "split.json") << td.splitJson;
        }
        const OnDataError onError = config_.data.onError == "skip" ? OnDataError::Skip : OnDataError::Fail;
        std::vector<std::string> valSkipped;
        const auto valSet = openDataset(data, config_.data.valSplit, onError);
        auto valSamples = loadResized(*valSet, tc.inputWidth, tc.inputHeight, config_.eval.maxImages,
                                      config_.data.workers, onError, valSkipped);
        obs.onMessage("validation: " + std::to_string(valSamples.size()) + " images of " + valSet->description() +
                      " at " + std::to_string(tc.inputWidth) + "x" + std::to_string(tc.inputHeight) +
                      (valSkipped.empty() ? std::string()
                                          : "; skipped " + std::to_string(valSkipped.size()) +
                                                " unreadable (first: " + valSkipped.front() + ")"));

        const int stride = MultiTaskNetImpl::kOutputStride;
        const ClassNames& classes = td.train->classes();
        const int numDetClasses = static_cast<int>(classes.det.size());
        MultiTaskNet model(static_cast<int>(classes.seg.size()), numDetClasses, config_.model.width);
        model->to(device);
        torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(tc.lr)
                                                             .momentum(tc.momentum)
                                                             .nesterov(tc.momentum > 0)
                                                             .weight_decay(tc.weightDecay));
        BatchLoaderOptions lo;
        lo.width = tc.inputWidth;
        lo.height = tc.inputHeight;
        lo.hflip = tc.hflip;
        lo.seed = static_cast<std::uint64_t>(config_.seed);
        lo.workers = config_.data.workers;
        lo.pinMemory = device.is_cuda();
        lo.onError = onError;
        BatchLoader loader(td.train, td.sampler, lo);
        std::size_t reportedSkips = 0;
        const InputNormalizer normalize(device);

        const std::string checkpoint = (fs::path(runDir_) / "checkpoint.pt").string();
        std::ofstream csv(fs::path(runDir_) / "metrics.csv");
        csv << "step,key,value,wall_time\n";
        auto logValues = [&](std::int64_t step, const std::vector<std::pair<std::string, double>>& values) {
            const double t = now();
            registry->logMetrics(id_, step, values, t);
            for (const auto& [k, v] : values) csv << step << ',' << k << ',' << std::setprecision(8) << v << ',' << std::setprecision(15) << t << '\n';
            csv.flush();
        };
        auto runValidation = [&](std::int64_t step) {
            ValidationReport r = validate(*model, valSamples, device, config_.eval.scoreThreshold);
            r.step = step;
            logValues(step, {{"val/mIoU", r.mIoU}, {"val/mAP", r.mAP}, {"val/AP50", r.AP50},
                             {"val/geo_mean", r.geometricMean}});
            lastValidation_ = r;
            writeResults((fs::path(runDir_) / "results.json").string(), r, classes);
            obs.onValidation(r);
        };

        const auto t0 = Clock::now();
        auto periodStart = t0;
        double periodWait = loader.waitSeconds();
        torch::Tensor sumSeg = torch::zeros({}, device), sumHm = sumSeg.clone(), sumShape = sumSeg.clone();
        int inPeriod = 0;
        std::int64_t step = 0;
        for (; step < tc.steps && !stop_; ++step) {
            const double lr = tc.lr * std::pow(1.0 - double(step) / tc.steps, tc.polyPower);
            for (auto& group : optimizer.param_groups())
                static_cast<torch::optim::SGDOptions&>(group.options()).lr(lr);

            TrainBatch batch = loader.next();
            auto images = normalize(batch.images.to(device, /*non_blocking=*/true));
            auto segTarget = batch.seg.to(device, true);
            const auto h = batch.images.size(1), w = batch.images.size(2);
            CenterNetTargets det = encodeCenterNetTargets(batch.boxes, numDetClasses,
                                                          h / stride, w / stride, stride);
            det = {det.heatmap.to(device, true), det.index.to(device, true), det.shape.to(device, true),
                   det.valid.to(device, true)};

            MultiTaskOutput out = model->forward(images);
            auto segLoss = segmentationLoss(out.segLogits, segTarget);
            DetectionLoss detLoss = centerNetLoss(out, det, batch.hasDet.to(device));
            auto loss = segLoss + detLoss.heatmap + detLoss.shape;

            optimizer.zero_grad();
            loss.backward();
            optimizer.step();

            sumSeg += segLoss.detach();
            sumHm += detLoss.heatmap.detach();
            sumShape += detLoss.shape.detach();
            ++inPeriod;
            const std::int64_t done = step + 1;
            if (done % tc.logEvery == 0 || done == tc.steps) {
                StepReport r;
                r.step = done;
                r.totalSteps = tc.steps;
                r.segLoss = sumSeg.item<double>() / inPeriod;
                r.detHeatmapLoss = sumHm.item<double>() / inPeriod;
                r.detShapeLoss = sumShape.item<double>() / inPeriod;
                r.loss = r.segLoss + r.detHeatmapLoss + r.detShapeLoss;
                r.lr = lr;
                const auto t = Clock::now();
                const double period = std::chrono::duration<double>(t - periodStart).count();
                r.secondsPerStep = period / inPeriod;
                r.loaderWaitShare = period > 0 ? (loader.waitSeconds() - periodWait) / period : 0;
                r.elapsed = std::chrono::duration<double>(t - t0).count();
                if (!std::isfinite(r.loss))
                    throw Error("loss is not finite (" + std::to_string(r.loss) + ") at step " +
                                std::to_string(done) + "; the last good checkpoint is kept");
                logValues(done, {{"train/loss", r.loss}, {"train/seg_loss", r.segLoss},
                                 {"train/det_heatmap_loss", r.detHeatmapLoss},
                                 {"train/det_shape_loss", r.detShapeLoss},
                                 {"train/det_loss", r.detHeatmapLoss + r.detShapeLoss}, {"train/lr", lr}});
                obs.onStep(r);
                if (loader.skippedSamples() > reportedSkips) {
                    const auto messages = loader.skippedMessages();
                    obs.onMessage("warning: " + std::to_string(messages.size()) +
                                  " unreadable training samples left out so far; latest: " + messages.back());
                    reportedSkips = messages.size();
                }
                sumSeg.zero_();
                sumHm.zero_();
                sumShape.zero_();
                inPeriod = 0;
                periodStart = t;
                periodWait = loader.waitSeconds();
            }
            if (done % tc.checkpointEvery == 0) saveCheckpointAtomically(model, checkpoint);
            if (config_.eval.every > 0 && done % config_.eval.every == 0 && done != tc.steps)
                runValidation(done);
        }
        saveCheckpointAtomically(model, checkpoint);
        if (stop_) {
            status_ = RunStatus::Interrupted;
            message = "stopped at step " + std::to_string(step) + " of " + std::to_string(tc.steps);
        } else {
            runValidation(step);
            status_ = RunStatus::Finished;
        }
    } catch (const std::exception& e) {
        status_ = RunStatus::Failed;
        message = e.what();
    }
    error_ = status_ == RunStatus::Failed ? message : std::string();
    try {
        if (!registry) registry = std::make_unique<Registry>(registryPath_);
        registry->setStatus(id_, status_, message);
    } catch (const std::exception& e) {
        message += std::string(message.empty() ? "" : "; ") + "registry: " + e.what();
    }
    running_ = false;
    obs.onFinished(status_, message);
}

} // namespace mtl
