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
    o.supervisedOnWeakViews = tc.supervisedViews == SupervisedViews::Weak;
    o.luOnAllSamples = tc.luScope == LuScope::All;
    o.segWeight = tc.segWeight;
    o.detWeight = tc.detWeight;
    o.rampSteps = rampUpSteps(tc.rampUpFraction, tc.steps);
    o.pseudoBoxes.scoreThreshold = tc.pseudoScoreThreshold;
    o.seed = static_cast<std::uint64_t>(config.seed);
    o.mixedPrecision = tc.mixedPrecision;
    return o;
}

SemiSupervisedStep::SemiSupervisedStep(SemiSupervisedOptions options, const AugmentOptions& augment,
                                       MultiTaskModelImpl& student, EmaTeacher& teacher, const torch::Device& device,
                                       LossMeter& meter)
    : options_(std::move(options)), augmenter_(augment), student_(student), teacher_(teacher), device_(device),
      normalize_(device), meter_(meter), quality_(std::max(1, student.spec().segClasses)) {}

bool SemiSupervisedStep::usesAugmenter() const {
    return options_.method != LearningMethod::Supervised || options_.supervisedOnWeakViews;
}

StepLosses SemiSupervisedStep::supervisedPart(const MultiTaskLosses& s) {
    StepLosses l;
    l.seg = s.seg;
    l.detClassification = s.detClassification;
    l.detRegression = s.detRegression;
    l.detPositives = s.detPositives;
    l.detImages = s.detImages;
    return l;
}

void SemiSupervisedStep::finish(StepLosses& l) {
    const auto zero = torch::zeros({}, torch::TensorOptions(device_).dtype(torch::kFloat));
    if (!l.segUnsup.defined()) l.segUnsup = zero;
    if (!l.detUnsupClassification.defined()) l.detUnsupClassification = zero;
    if (!l.detUnsupRegression.defined()) l.detUnsupRegression = zero;
    l.total = options_.segWeight * (l.seg + l.lambda * l.segUnsup) +
              options_.detWeight * (l.detClassification + l.detRegression +
                                    l.lambda * (l.detUnsupClassification + l.detUnsupRegression));
    const ModelSpec& spec = student_.spec();
    meter_.add("train/loss", l.total); // Σt γt (Ls,t + λ Lu,t)
    if (spec.hasSeg()) meter_.add("train/seg_loss", l.seg);
    if (spec.hasDet()) {
        meter_.add("train/det_cls_loss", l.detClassification);
        meter_.add("train/det_box_loss", l.detRegression);
        meter_.add("train/det_loss", l.detClassification + l.detRegression);
        meter_.add("train/det_positives", l.detPositives, l.detImages); // per detection-labeled image
    }
    if (options_.method == LearningMethod::Supervised) return;
    if (spec.hasSeg()) meter_.add("train/seg_unsup_loss", l.segUnsup);
    if (spec.hasDet()) {
        meter_.add("train/det_unsup_cls_loss", l.detUnsupClassification);
        meter_.add("train/det_unsup_box_loss", l.detUnsupRegression);
        meter_.add("train/det_unsup_loss", l.detUnsupClassification + l.detUnsupRegression);
    }
}

StepLosses SemiSupervisedStep::supervised(const torch::Tensor& input, const torch::Tensor& labels,
                                          const GroundTruthBoxes& boxes, const DeviceBatch& batch) {
    MultiTaskOutput out;
    {
        AutocastScope autocast(options_.mixedPrecision, device_);
        out = student_.forward(input);
    }
    StepLosses l = supervisedPart(multiTaskLosses(student_, out, labels, boxes, batch.hasDet));
    finish(l);
    return l;
}

StepLosses SemiSupervisedStep::losses(const TrainBatch& batch, std::int64_t step) {
    // The loader packs into page-locked memory on CUDA, so these copies overlap compute.
    DeviceBatch d;
    d.images = batch.images.to(device_, /*non_blocking=*/true);
    d.seg = batch.seg.to(device_, true);
    d.hasSeg = batch.hasSeg.to(device_, true);
    d.hasDet = batch.hasDet.to(device_, true);
    if (!usesAugmenter())
        return supervised(normalize_(d.images), d.seg, padGroundTruth(batch.boxes, 1.f, device_.is_cuda()).to(device_), d);
    const AugmentedBatch views =
        augmenter_.augment({d.images, d.seg, batch.boxes}, augmentSeed(options_.seed, static_cast<std::uint64_t>(step)));
    const auto weak = normalize_.fromUnit(views.weak.images);
    if (options_.method == LearningMethod::Supervised)
        return supervised(weak, views.weak.seg, padGroundTruth(views.weak.boxes, 1.f).to(device_), d);
    return semiSupervised(batch, d, views, weak, step);
}

StepLosses SemiSupervisedStep::semiSupervised(const TrainBatch& batch, const DeviceBatch& onDevice,
                                              const AugmentedBatch& views, const torch::Tensor& weak, std::int64_t step) {
    const PseudoLabels pseudo = teacherPseudoLabels(teacher_.model(), weak, options_.pseudoBoxes);
    const StrongViewTargets targets = moveToStrongView(views, pseudo, augmenter_.options().boxes);

    const int64_t n = weak.size(0);
    MultiTaskOutput both;
    {
        AutocastScope autocast(options_.mixedPrecision, device_);
        both = student_.forward(torch::cat({weak, normalize_.fromUnit(views.strong.images)}));
    }
    const MultiTaskOutput outWeak = slice(both, 0, n), outStrong = slice(both, n, n);
    StepLosses l = supervisedPart(multiTaskLosses(student_, outWeak, views.weak.seg,
                                                  padGroundTruth(views.weak.boxes, 1.f).to(device_), onDevice.hasDet));
    l.lambda = sigmoidRampUp(step, options_.rampSteps);

    const auto all = torch::ones({n}, torch::TensorOptions(device_).dtype(torch::kBool));
    const auto selectSeg = options_.luOnAllSamples ? all : onDevice.hasSeg.logical_not();
    const auto selectDet = options_.luOnAllSamples ? all : onDevice.hasDet.logical_not();
    if (targets.seg.defined()) {
        l.segUnsup = unsupervisedSegmentationLoss(outStrong.segLogits, targets.seg, selectSeg);
        // Share of the selected samples' pixels that carry a pseudo-label, over steps with any.
        const auto selected = selectSeg.sum().to(torch::kFloat64);
        const auto used = targets.seg.ne(255).logical_and(selectSeg.view({-1, 1, 1})).sum().to(torch::kFloat64);
        const double pixels = double(targets.seg.size(1) * targets.seg.size(2));
        meter_.add("pseudo/seg_pixel_share", used / (selected * pixels).clamp_min(1.0), selected.gt(0));
    }
    if (!targets.boxes.empty()) {
        const DetectionLosses d =
            unsupervisedDetectionLosses(outStrong.classLogits, outStrong.boxDeltas, student_.anchors(outStrong),
                                        padGroundTruth(targets.boxes, 1.f).to(device_), selectDet);
        l.detUnsupClassification = d.classification;
        l.detUnsupRegression = d.regression;
        // The selection again from the loader's host flags: counting boxes needs no device read.
        const auto hostHasDet = batch.hasDet.to(torch::kBool).contiguous();
        const bool* labeled = hostHasDet.data_ptr<bool>();
        double boxes = 0, images = 0;
        for (int64_t i = 0; i < n; ++i)
            if (options_.luOnAllSamples || !labeled[i]) {
                boxes += double(targets.boxes[std::size_t(i)].size());
                ++images;
            }
        meter_.addHost("pseudo/det_boxes_per_image", boxes, images);
    }
    lastLambda_ = l.lambda;
    semiSupervisedSteps_ = true;
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
    const auto hasSeg = hidden.hasSeg.to(torch::kBool).contiguous(), hasDet = hidden.hasDet.to(torch::kBool).contiguous();
    std::vector<int64_t> segImages;
    for (int64_t i = 0; i < hasSeg.size(0); ++i) {
        if (hasSeg.data_ptr<bool>()[i]) segImages.push_back(i);
        if (!pseudoBoxes.empty() && hasDet.data_ptr<bool>()[i])
            quality_.addDetection(pseudoBoxes[std::size_t(i)], truth.boxes[std::size_t(i)]);
    }
    if (!pseudoSeg.defined() || segImages.empty()) return;
    // Confusion of pseudo-labels against hidden labels, counted on the device: pixel (t, p) goes to
    // bin t·C + p, ignored pixels to the extra bin C².
    const int64_t classes = std::max(1, student_.spec().segClasses);
    const auto index = torch::tensor(segImages, torch::kLong).to(device_);
    const auto t = truth.seg.index_select(0, index).to(torch::kLong), p = pseudoSeg.index_select(0, index).to(torch::kLong);
    const auto valid = t.ne(255).logical_and(t.lt(classes)).logical_and(p.ge(0)).logical_and(p.lt(classes));
    const auto bins = torch::where(valid, t * classes + p, torch::full_like(t, classes * classes)).flatten();
    if (!segConfusion_.defined())
        segConfusion_ = torch::zeros({classes * classes + 1}, torch::TensorOptions(device_).dtype(torch::kLong));
    segConfusion_.scatter_add_(0, bins, torch::ones_like(bins));
    segQualityImages_ += static_cast<std::int64_t>(segImages.size());
}

void SemiSupervisedStep::closePeriod() {
    if (!semiSupervisedSteps_) return;
    meter_.set("train/lambda", lastLambda_);
    if (segQualityImages_ > 0) {
        const auto counts = segConfusion_.narrow(0, 0, segConfusion_.size(0) - 1).to(torch::kCPU).contiguous();
        quality_.addSegmentationCounts(std::vector<std::int64_t>(counts.data_ptr<int64_t>(),
                                                                 counts.data_ptr<int64_t>() + counts.numel()),
                                       segQualityImages_);
    }
    if (quality_.hasSegmentation()) meter_.set("pseudo/seg_mIoU", quality_.segmentationMeanIoU());
    if (quality_.hasDetection()) {
        meter_.set("pseudo/det_precision", quality_.precision());
        meter_.set("pseudo/det_recall", quality_.recall());
    }
    quality_.reset();
    segConfusion_ = torch::Tensor();
    segQualityImages_ = 0;
    semiSupervisedSteps_ = false;
}

} // namespace mtl
