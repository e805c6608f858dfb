#include "core/eval/RunPredictor.h"

#include "core/augment/SampleTransforms.h"
#include "core/common/Device.h"
#include "core/common/Error.h"
#include "core/common/ParallelFor.h"
#include "core/common/Paths.h"
#include "core/data/DatasetLocator.h"
#include "core/data/DatasetReport.h"
#include "core/eval/CocoJson.h"
#include "core/model/ModelPrediction.h"
#include "core/eval/EvaluationSamples.h"
#include "core/eval/RunResults.h"
#include "core/eval/ValidationScorer.h"
#include "core/experiment/ModelSpecFor.h"
#include "core/model/Checkpoint.h"

#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace fs = std::filesystem;

namespace mtl {

struct RunPredictor::State {
    StoredRun run;
    DatasetLocation data;
    ClassNames classes;
    std::string checkpoint;
    std::int64_t step = 0;
    torch::Device device{torch::kCPU};
    MultiTaskModel model{nullptr};
    PostprocessOptions postprocess;
};

namespace {

std::string chooseCheckpoint(const StoredRun& run, const std::string& requested) {
    if (!requested.empty()) return requested;
    for (const char* name : {"best.pt", "checkpoint.pt"}) {
        const fs::path p = fs::path(run.dir) / name;
        if (fs::is_regular_file(p)) return p.string();
    }
    throw InputError(run.dir + ": no best.pt or checkpoint.pt (the run has not saved weights)");
}

void makeFolder(const std::string& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir)) throw InputError(dir + ": cannot create the folder" + (ec ? ": " + ec.message() : ""));
}

// Image ids may hold folder separators (BDD100K names do not, other sets might).
std::string pngName(const std::string& id) {
    std::string name = id;
    for (char& c : name)
        if (c == '/' || c == '\\') c = '_';
    return name + ".png";
}

} // namespace

RunPredictor::RunPredictor(StoredRun run, RunPredictorOptions options) : state_(std::make_unique<State>()) {
    State& s = *state_;
    s.run = std::move(run);
    const ExperimentConfig& config = s.run.config;
    s.checkpoint = chooseCheckpoint(s.run, options.checkpoint);
    s.device = torch::Device(resolveDevice(options.device));
    configureTorchThreads(options.threads);
    s.data = locateDataset(config.data.dataset, config.data.synthetic);
    s.classes = openDataset(s.data, config.data.valSplit)->classes();
    s.model = MultiTaskModel(modelSpecFor(config.model, s.classes));
    s.step = loadCheckpoint(s.checkpoint, *s.model).step;
    s.model->to(s.device);
    s.model->eval();
    s.postprocess.scoreThreshold = config.eval.scoreThreshold;
}

RunPredictor::~RunPredictor() = default;

const StoredRun& RunPredictor::run() const { return state_->run; }
const ClassNames& RunPredictor::classes() const { return state_->classes; }
const std::string& RunPredictor::checkpointPath() const { return state_->checkpoint; }
std::int64_t RunPredictor::checkpointStep() const { return state_->step; }
std::string RunPredictor::device() const { return state_->device.str(); }

ImagePrediction RunPredictor::predict(const cv::Mat& rgb) {
    if (rgb.empty() || rgb.type() != CV_8UC3) throw InputError("predict: the image must be 8-bit RGB (3 channels)");
    Sample s;
    s.image = rgb;
    s.imageSize = rgb.size();
    const EvalConfig& ec = state_->run.config.eval;
    if (ec.inputWidth > 0 && ec.inputHeight > 0) resizeImageOnly(s, ec.inputWidth, ec.inputHeight);
    return predictBatch(*state_->model, {&s}, state_->device, state_->postprocess).front();
}

Evaluation RunPredictor::evaluate(const EvaluationOptions& options) {
    State& st = *state_;
    const ExperimentConfig& config = st.run.config;
    const auto data = openDataset(st.data, options.split);
    if (data->classes().seg != st.classes.seg || data->classes().det != st.classes.det)
        throw InputError(data->description() + ": its classes differ from those of the run's validation split");
    std::size_t n = data->size();
    if (options.maxImages > 0) n = std::min<std::size_t>(n, static_cast<std::size_t>(options.maxImages));
    if (n == 0) throw InputError(data->description() + ": no images to evaluate");
    if (!options.cocoOut.empty()) makeFolder(options.cocoOut);
    if (!options.segOut.empty()) makeFolder(options.segOut);

    const EvalConfig& ec = config.eval;
    ValidationScorer scorer(st.model->spec());
    std::vector<Sample> labels(n);                       // boxes and flags kept for the COCO export
    std::vector<std::string> imageFiles(n);              // what the COCO export names the images
    std::vector<std::vector<Detection>> detections(n);   // of detection-labeled images only
    const int batchSize = std::max(1, options.batchSize);
    for (std::size_t first = 0; first < n; first += batchSize) {
        const std::size_t count = std::min<std::size_t>(batchSize, n - first);
        std::vector<Sample> chunk(count);
        parallelFor(count, config.data.workers, [&](std::size_t k, int) {
            chunk[k] = data->load(first + k);
            if (ec.inputWidth > 0 && ec.inputHeight > 0) resizeImageOnly(chunk[k], ec.inputWidth, ec.inputHeight);
        });
        for (std::size_t k = 0; k < count;) {
            const auto batch = nextEqualSizeBatch(chunk, k, batchSize);
            const auto predictions = predictBatch(*st.model, batch, st.device, st.postprocess);
            for (std::size_t j = 0; j < batch.size(); ++j) {
                const Sample& s = *batch[j];
                const std::size_t index = first + k + j;
                scorer.add(s, predictions[j]);
                if (!options.segOut.empty() && !predictions[j].labels.empty()) {
                    const fs::path png = fs::path(options.segOut) / pngName(s.id);
                    if (!cv::imwrite(png.string(), predictions[j].labels))
                        throw InputError(png.string() + ": cannot write the PNG file");
                }
                if (s.hasDet) detections[index] = predictions[j].detections;
                labels[index].id = s.id;
                labels[index].imageSize = s.imageSize;
                labels[index].hasDet = s.hasDet;
                labels[index].boxes = s.boxes;
                imageFiles[index] = data->imageFile(index);
            }
            k += batch.size();
        }
        if (options.progress) options.progress(static_cast<int>(first + count), static_cast<int>(n));
    }

    Evaluation e;
    e.report = scorer.report();
    e.report.step = st.step;
    if (!options.cocoOut.empty() && st.model->spec().hasDet()) {
        writeFileAtomically((fs::path(options.cocoOut) / "gt.json").string(),
                            cocoGroundTruthJson(labels, st.classes.det, imageFiles, st.data.root));
        writeFileAtomically((fs::path(options.cocoOut) / "detections.json").string(), cocoResultsListJson(detections));
    }

    const ValidationReport& r = e.report;
    nlohmann::ordered_json out;
    out["run"] = st.run.name;
    out["checkpoint"] = st.checkpoint;
    out["step"] = st.step;
    out["split"] = options.split;
    out["images"] = r.images;
    out["input"] = ec.inputWidth > 0 ? std::to_string(ec.inputWidth) + "x" + std::to_string(ec.inputHeight)
                                     : std::string("full resolution");
    if (r.hasSeg())
        out["segmentation"] = {{"mIoU", numberOrNull(r.mIoU)}, {"std", numberOrNull(r.stdIoU)},
                               {"per_class", perClassJson(r.segIoU, st.classes.seg)}};
    if (r.hasDet())
        out["detection"] = {{"mAP", numberOrNull(r.mAP)}, {"AP50", numberOrNull(r.AP50)}, {"AP75", numberOrNull(r.AP75)},
                            {"std", numberOrNull(r.stdAP)}, {"per_class", perClassJson(r.detAP, st.classes.det)}};
    out["geometric_mean"] = numberOrNull(r.geometricMean);
    e.json = out.dump();
    return e;
}

EquivarianceDiagnosis RunPredictor::diagnoseEquivariance(const std::string& split, int maxImages,
                                                        EquivarianceOptions options, bool save) {
    const ExperimentConfig& config = run().config;
    const auto data = openDataset(state_->data, split, config.data.onError); // located when the run was opened
    std::vector<cv::Mat> images;
    for (std::size_t i = 0; i < std::min<std::size_t>(data->size(), std::size_t(std::max(0, maxImages))); ++i)
        images.push_back(data->load(i, false, false).image);
    options.segClasses = config.model.tasks != TaskSet::DetOnly ? static_cast<int>(classes().seg.size()) : 0;
    EquivarianceDiagnosis d;
    d.scores = measureEquivariance(images, [this](const cv::Mat& rgb) { return predict(rgb); }, options);
    d.images = images.size();
    d.data = data->description();
    if (save) {
        d.saved = (std::filesystem::path(run().dir) / kEquivarianceFile).string();
        writeFileAtomically(d.saved, equivarianceJson(d.scores) + "\n");
    }
    return d;
}

} // namespace mtl
