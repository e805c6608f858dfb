#include "core/train/SemiSupervisedStep.h"

#include "core/common/Error.h"
#include "core/model/MixedPrecision.h"
#include "core/model/MultiTaskLoss.h"
#include "core/train/PseudoLabels.h"
#include "core/train/RampUp.h"
#include "core/train/UnsupervisedLoss.h"

namespace mtl {
namespace {

MultiTaskOutput slice(const MultiTaskOutput& out, int64_t start, int64_t length) {
    MultiTaskOutput part;
    if (out.segLogits.defined()) part.segLogits = out.segLogits.narrow(0, start, length);
    if (out.classLogits.defined()) {
        part.classLogits = out.classLogits.narrow(0, start, length);
        part.boxDeltas = out.boxDeltas.narrow(0, start, length);
    }
    part.levelSizes = out.levelSizes;
    return part;
}

cv::Mat labelImage(const torch::Tensor& labels) { // h × w integer → CV_8UC1 (owning)
    const auto bytes = labels.to(torch::kCPU).clamp(0, 255).to(torch::kUInt8).contiguous();
    return cv::Mat(static_cast<int>(bytes.size(0)), static_cast<int>(bytes.size(1)), CV_8UC1, bytes.data_ptr<uint8_t>()).clone();
}

} // namespace

LearningMethod parseLearningMethod(const std::string& text) {
    if (text == "supervised") return LearningMethod::Supervised;
    if (text == "fixmatch") return LearningMethod::FixMatch;
    if (text == "densefixmatch") return LearningMethod::DenseFixMatch;
    throw InputError("unknown training method '" + text + "' (supervised, fixmatch or densefixmatch)");
}

std::string displayName(LearningMethod method) {
    switch (method) {
    case LearningMethod::Supervised: return "supervised";
    case LearningMethod::FixMatch: return "FixMatch*";
    case LearningMethod::DenseFixMatch: return "Dense FixMatch";
    }
    return "?";
}

SemiSupervisedOptions semiSupervisedOptions(const ExperimentConfig& config) {
    const TrainConfig& tc = config.train;
    SemiSupervisedOptions o;
    o.method = parseLearningMethod(tc.method);
    o.supervisedOnWeakViews = tc.supervisedViews == "weak";
    o.luOnAllSamples = tc.luScope == "all";
    o.segWeight = tc.segWeight;
    o.detWeight = tc.detWeight;
    o.rampSteps = rampUpSteps(tc.rampUpFraction, tc.steps);
    o.pseudoBoxes.scoreThreshold = tc.pseudoScoreThreshold;
    o.seed = static_cast<std::uint64_t>(config.seed);
    o.mixedPrecision = tc.mixedPrecision;
    return o;
}

SemiSupervisedStep::SemiSupervisedStep(SemiSupervisedOptions options, const AugmentOptions& augment,
                                       MultiTaskModelImpl& student, EmaTeacher& teacher, const torch::Device& device)
    : options_(std::move(options)), augmenter_(augment), student_(student), teacher_(teacher), device_(device),
      normalize_(device), quality_(std::max(1, student.spec().segClasses)) {
    sumSegUnsup_ = torch::zeros({}, torch::TensorOptions(device).dtype(torch::kFloat));
    sumClsUnsup_ = sumSegUnsup_.clone();
    sumBoxUnsup_ = sumSegUnsup_.clone();
}

bool SemiSupervisedStep::usesAugmenter() const {
    return options_.method != LearningMethod::Supervised || options_.supervisedOnWeakViews;
}

void SemiSupervisedStep::finish(StepLosses& l) const {
    const auto zero = torch::zeros({}, torch::TensorOptions(device_).dtype(torch::kFloat));
    if (!l.segUnsup.defined()) l.segUnsup = zero;
    if (!l.detUnsupClassification.defined()) l.detUnsupClassification = zero;
    if (!l.detUnsupRegression.defined()) l.detUnsupRegression = zero;
    l.total = options_.segWeight * (l.seg + l.lambda * l.segUnsup) +
              options_.detWeight * (l.detClassification + l.detRegression +
                                    l.lambda * (l.detUnsupClassification + l.detUnsupRegression));
}

StepLosses SemiSupervisedStep::losses(const TrainBatch& batch, std::int64_t step) {
    // The loader packs into page-locked memory on CUDA, so these copies overlap compute.
    const auto images = batch.images.to(device_, /*non_blocking=*/true);
    const auto seg = batch.seg.to(device_, true);
    const auto hasDet = batch.hasDet.to(device_, true);
    StepLosses l;
    auto supervised = [&](const torch::Tensor& input, const torch::Tensor& labels, const GroundTruthBoxes& boxes) {
        MultiTaskOutput out;
        {
            AutocastScope autocast(options_.mixedPrecision, device_);
            out = student_.forward(input);
        }
        const MultiTaskLosses s = multiTaskLosses(student_, out, labels, boxes, hasDet);
        l.seg = s.seg;
        l.detClassification = s.detClassification;
        l.detRegression = s.detRegression;
        finish(l);
    };
    if (!usesAugmenter()) {
        supervised(normalize_(images), seg, padGroundTruth(batch.boxes, 1.f, device_.is_cuda()).to(device_));
        return l;
    }
    const AugmentedBatch views =
        augmenter_.augment({images, seg, batch.boxes}, augmentSeed(options_.seed, static_cast<std::uint64_t>(step)));
    const auto weak = normalize_.fromUnit(views.weak.images);
    if (options_.method == LearningMethod::Supervised) {
        supervised(weak, views.weak.seg, padGroundTruth(views.weak.boxes, 1.f).to(device_));
        return l;
    }
    return semiSupervised(batch, views, weak, step);
}

StepLosses SemiSupervisedStep::semiSupervised(const TrainBatch& batch, const AugmentedBatch& views,
                                              const torch::Tensor& weak, std::int64_t step) {
    StepLosses l;
    l.lambda = sigmoidRampUp(step, options_.rampSteps);
    const PseudoLabels pseudo = teacherPseudoLabels(teacher_.model(), weak, options_.pseudoBoxes);
    const StrongViewTargets targets = moveToStrongView(views, pseudo, augmenter_.options().boxes);

    const int64_t n = weak.size(0);
    MultiTaskOutput both;
    {
        AutocastScope autocast(options_.mixedPrecision, device_);
        both = student_.forward(torch::cat({weak, normalize_.fromUnit(views.strong.images)}));
    }
    const MultiTaskOutput outWeak = slice(both, 0, n), outStrong = slice(both, n, n);
    const auto hasSeg = batch.hasSeg.to(device_), hasDet = batch.hasDet.to(device_);
    const MultiTaskLosses s = multiTaskLosses(student_, outWeak, views.weak.seg,
                                              padGroundTruth(views.weak.boxes, 1.f).to(device_), hasDet);
    l.seg = s.seg;
    l.detClassification = s.detClassification;
    l.detRegression = s.detRegression;

    const auto all = torch::ones({n}, torch::TensorOptions(device_).dtype(torch::kBool));
    const auto selectSeg = options_.luOnAllSamples ? all : hasSeg.logical_not();
    const auto selectDet = options_.luOnAllSamples ? all : hasDet.logical_not();
    if (targets.seg.defined()) {
        l.segUnsup = unsupervisedSegmentationLoss(outStrong.segLogits, targets.seg, selectSeg);
        const int64_t selected = selectSeg.sum().item<int64_t>();
        if (selected > 0) {
            const auto used = targets.seg.ne(255).logical_and(selectSeg.view({-1, 1, 1})).sum().item<double>();
            sumPixelShare_ += used / double(selected * targets.seg.size(1) * targets.seg.size(2));
            ++segSteps_;
        }
        sumSegUnsup_ += l.segUnsup.detach();
    }
    if (!targets.boxes.empty()) {
        const DetectionLosses d =
            unsupervisedDetectionLosses(outStrong.classLogits, outStrong.boxDeltas, student_.anchors(outStrong),
                                        padGroundTruth(targets.boxes, 1.f).to(device_), selectDet);
        l.detUnsupClassification = d.classification;
        l.detUnsupRegression = d.regression;
        const auto selected = selectDet.to(torch::kCPU);
        for (int64_t i = 0; i < n; ++i)
            if (selected[i].item<bool>()) {
                pseudoBoxes_ += double(targets.boxes[std::size_t(i)].size());
                ++boxImages_;
            }
        sumClsUnsup_ += d.classification.detach();
        sumBoxUnsup_ += d.regression.detach();
    }
    lastLambda_ = l.lambda;
    ++steps_;
    measureQuality(batch, views.weak, pseudo.seg, pseudo.boxes);
    finish(l);
    return l;
}

void SemiSupervisedStep::measureQuality(const TrainBatch& batch, const AugmentedView& weakView,
                                        const torch::Tensor& pseudoSeg,
                                        const std::vector<std::vector<Detection>>& pseudoBoxes) {
    const auto& hidden = batch.hiddenForEvaluation;
    if (!hidden.seg.defined()) return;
    const StrongViewTargets truth = labelsInView(weakView, hidden.seg.to(device_), hidden.boxes, augmenter_.options().boxes);
    const auto hasSeg = hidden.hasSeg.to(torch::kCPU), hasDet = hidden.hasDet.to(torch::kCPU);
    for (int64_t i = 0; i < hasSeg.size(0); ++i) {
        if (pseudoSeg.defined() && hasSeg[i].item<bool>())
            quality_.addSegmentation(labelImage(pseudoSeg[i]), labelImage(truth.seg[i]));
        if (!pseudoBoxes.empty() && hasDet[i].item<bool>())
            quality_.addDetection(pseudoBoxes[std::size_t(i)], truth.boxes[std::size_t(i)]);
    }
}

std::vector<std::pair<std::string, double>> SemiSupervisedStep::takeDiagnostics() {
    std::vector<std::pair<std::string, double>> values;
    if (steps_ == 0) return values;
    const double steps = double(steps_);
    const ModelSpec& spec = student_.spec();
    if (spec.hasSeg()) values.push_back({"train/seg_unsup_loss", sumSegUnsup_.item<double>() / steps});
    if (spec.hasDet()) {
        const double cls = sumClsUnsup_.item<double>() / steps, box = sumBoxUnsup_.item<double>() / steps;
        values.insert(values.end(), {{"train/det_unsup_cls_loss", cls}, {"train/det_unsup_box_loss", box},
                                     {"train/det_unsup_loss", cls + box}});
    }
    values.push_back({"train/lambda", lastLambda_});
    if (segSteps_ > 0) values.push_back({"pseudo/seg_pixel_share", sumPixelShare_ / double(segSteps_)});
    if (boxImages_ > 0) values.push_back({"pseudo/det_boxes_per_image", pseudoBoxes_ / double(boxImages_)});
    if (quality_.hasSegmentation()) values.push_back({"pseudo/seg_mIoU", quality_.segmentationMeanIoU()});
    if (quality_.hasDetection())
        values.insert(values.end(), {{"pseudo/det_precision", quality_.precision()}, {"pseudo/det_recall", quality_.recall()}});
    sumSegUnsup_.zero_();
    sumClsUnsup_.zero_();
    sumBoxUnsup_.zero_();
    sumPixelShare_ = pseudoBoxes_ = 0;
    steps_ = segSteps_ = boxImages_ = 0;
    quality_.reset();
    return values;
}

} // namespace mtl
