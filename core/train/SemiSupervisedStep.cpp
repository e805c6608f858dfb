#include "core/train/SemiSupervisedStep.h"

#include "core/common/Error.h"
#include "core/common/SelectRows.h"
#include "core/model/MixedPrecision.h"
#include "core/model/MultiTaskLoss.h"
#include "core/train/DataParallel.h"
#include "core/train/MethodRegistry.h"
#include "core/train/RampUp.h"

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
    part.inputSize = out.inputSize;
    return part;
}

// Rows of a per-sample tensor (ascending, unique): the tensor itself when they are all of it.
torch::Tensor takeRows(const torch::Tensor& t, const std::vector<int64_t>& rows) {
    if (!t.defined() || static_cast<int64_t>(rows.size()) == t.size(0)) return t;
    return t.index_select(0, torch::tensor(rows, torch::kLong).to(t.device()));
}

// The positive anchors per detection-labeled image of the step's supervised part (undefined when it
// has none): the least divisor of an unlabeled image's detection loss with pseudo-box negatives.
torch::Tensor labeledPositivesPerImage(const StepLosses& l) {
    if (!l.detPositives.defined() || !l.detImages.defined()) return {};
    return l.detPositives.to(torch::kFloat) / l.detImages.to(torch::kFloat).clamp_min(1);
}

} // namespace

SemiSupervisedOptions semiSupervisedOptions(const ExperimentConfig& config) {
    const TrainConfig& tc = config.train;
    SemiSupervisedOptions o;
    o.method = tc.method;
    o.supervisedOnWeakViews = tc.supervisedViews == SupervisedViews::Weak;
    o.luOnAllSamples = tc.luScope == LuScope::All;
    o.usedViewsOnly = tc.studentViews == StudentViews::Used;
    o.segWeight = tc.segWeight;
    o.detWeight = tc.detWeight;
    o.rampSteps = rampUpSteps(tc.rampUpFraction, tc.steps);
    o.unsupWeight = tc.unsupWeight;
    o.oracle = tc.pseudoSource == PseudoSource::Oracle;
    o.pseudoBoxes.scoreThreshold = tc.pseudoScoreThreshold;
    o.segPseudoThreshold = tc.segPseudoThreshold;
    o.segLossOverValidPixels = tc.segUnsupNormalization == SegUnsupNormalization::Valid;
    o.pseudoBoxNegatives = tc.pseudoBoxNegatives;
    o.seed = static_cast<std::uint64_t>(config.seed);
    o.mixedPrecision = tc.mixedPrecision;
    return o;
}

SemiSupervisedStep::SemiSupervisedStep(SemiSupervisedOptions options, const AugmentOptions& augment,
                                       MultiTaskModelImpl& student, EmaTeacher& teacher, const torch::Device& device,
                                       LossMeter& meter)
    : options_(std::move(options)), augmenter_(augment), student_(student), teacher_(teacher), device_(device),
      normalize_(device), meter_(meter), quality_(std::max(1, student.spec().segClasses)),
      studentQuality_(std::max(1, student.spec().segClasses)) {
    TeachingSettings teaching;
    teaching.pseudoBoxes = options_.pseudoBoxes;
    teaching.segPseudoThreshold = options_.segPseudoThreshold;
    teaching.segLossOverValidPixels = options_.segLossOverValidPixels;
    teaching.pseudoBoxNegatives = options_.pseudoBoxNegatives;
    teaching.boxFilter = augment.boxes;
    method_ = makeTrainingMethod(options_.method, teaching);
}

bool SemiSupervisedStep::usesAugmenter() const {
    return options_.method.learnsFromTeacher() || options_.supervisedOnWeakViews;
}

StepLosses SemiSupervisedStep::supervisedPart(const MultiTaskLosses& s) {
    StepLosses l;
    l.seg = s.seg;
    l.detClassification = s.detClassification;
    l.detRegression = s.detRegression;
    l.detPositives = s.detPositives;
    l.detImages = s.detImages;
    l.segCount = s.segPixels;
    return l;
}

void SemiSupervisedStep::finish(StepLosses& l) {
    const auto zero = torch::zeros({}, torch::TensorOptions(device_).dtype(torch::kFloat));
    for (torch::Tensor* part : {&l.seg, &l.detClassification, &l.detRegression, &l.detPositives, &l.detImages,
                                &l.segUnsup, &l.detUnsupClassification, &l.detUnsupRegression, &l.segCount,
                                &l.segUnsupCount, &l.detUnsupCount})
        if (!part->defined()) *part = zero;
    if (parallel_ && parallel_->size() > 1) weighByGlobalCounts(l);
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
    const LearningMethodInfo& method = options_.method.info();
    if (!method.learnsFromTeacher) return;
    if (spec.hasSeg() && method.teachesSegmentation) meter_.add("train/seg_unsup_loss", l.segUnsup);
    if (spec.hasDet() && method.teachesDetection) {
        meter_.add("train/det_unsup_cls_loss", l.detUnsupClassification);
        meter_.add("train/det_unsup_box_loss", l.detUnsupRegression);
        meter_.add("train/det_unsup_loss", l.detUnsupClassification + l.detUnsupRegression);
    }
}

void SemiSupervisedStep::weighByGlobalCounts(StepLosses& l) {
    const auto local = torch::stack({l.segCount, l.detImages, l.segUnsupCount, l.detUnsupCount}).to(torch::kDouble);
    const auto weights = (local * double(parallel_->size()) / parallel_->sum(local).clamp_min(1)).to(torch::kFloat);
    l.seg = l.seg * weights[0];
    l.detClassification = l.detClassification * weights[1];
    l.detRegression = l.detRegression * weights[1];
    l.segUnsup = l.segUnsup * weights[2];
    l.detUnsupClassification = l.detUnsupClassification * weights[3];
    l.detUnsupRegression = l.detUnsupRegression * weights[3];
}

ViewRows SemiSupervisedStep::viewRows(const TrainBatch& batch) const {
    const auto hasSeg = batch.hasSeg.to(torch::kBool).contiguous(), hasDet = batch.hasDet.to(torch::kBool).contiguous();
    std::vector<SampleTasks> tasks(static_cast<std::size_t>(hasSeg.size(0)));
    for (std::size_t i = 0; i < tasks.size(); ++i)
        tasks[i] = {hasSeg.data_ptr<bool>()[i], hasDet.data_ptr<bool>()[i]};
    ViewSelectionRule rule;
    rule.segHead = student_.spec().hasSeg();
    rule.detHead = student_.spec().hasDet();
    const LearningMethodInfo& method = options_.method.info();
    rule.semiSupervised = method.learnsFromTeacher;
    rule.segLu = method.teachesSegmentation;
    rule.detLu = method.teachesDetection;
    rule.luOnAllSamples = options_.luOnAllSamples;
    rule.usedOnly = options_.usedViewsOnly;
    ViewRows rows = selectViewRows(tasks, rule);
    // A batch none of whose views feeds a loss (a supervised batch of unlabeled images) is trained
    // as under `all`: its losses are zero either way, and the step stays a step of the model.
    if (rows.weak.empty() && rows.strong.empty()) rule.usedOnly = false, rows = selectViewRows(tasks, rule);
    return rows;
}

StepLosses SemiSupervisedStep::supervised(const torch::Tensor& input, const torch::Tensor& labels,
                                          const GroundTruthBoxes& boxes, const torch::Tensor& hasDet) {
    MultiTaskOutput out;
    {
        AutocastScope autocast(options_.mixedPrecision, device_);
        out = student_.forward(input);
    }
    StepLosses l = supervisedPart(multiTaskLosses(student_, out, labels, boxes, hasDet));
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
    const ViewRows rows = viewRows(batch);
    StepLosses l;
    if (!usesAugmenter()) {
        l = supervised(normalize_(takeRows(d.images, rows.weak)), takeRows(d.seg, rows.weak),
                       padGroundTruth(selectRows(batch.boxes, rows.weak), 1.f, device_.is_cuda()).to(device_),
                       takeRows(d.hasDet, rows.weak));
    } else {
        const AugmentedBatch views = augment(batch, d, step, /*sharded=*/true);
        const auto weak = normalize_.fromUnit(views.weak.images);
        if (!options_.method.learnsFromTeacher())
            l = supervised(takeRows(weak, rows.weak), takeRows(views.weak.seg, rows.weak),
                           padGroundTruth(selectRows(views.weak.boxes, rows.weak), 1.f).to(device_),
                           takeRows(d.hasDet, rows.weak));
        else
            l = semiSupervised(batch, d, views, weak, rows, step);
    }
    l.views = rows;
    // What the step cost in images: train.student_views shows here.
    meter_.addHost("train/student_views", double(rows.weak.size() + rows.strong.size()));
    if (options_.method.learnsFromTeacher()) meter_.addHost("train/teacher_views", double(rows.strong.size()));
    return l;
}

StepLosses SemiSupervisedStep::semiSupervised(const TrainBatch& batch, const DeviceBatch& onDevice,
                                              const AugmentedBatch& views, const torch::Tensor& weak,
                                              const ViewRows& rows, std::int64_t step) {
    const auto nWeak = static_cast<int64_t>(rows.weak.size()), nStrong = static_cast<int64_t>(rows.strong.size());
    TeacherTargets taught;
    if (nStrong > 0) taught = teachRows(batch, views, weak, rows.strong);

    std::vector<torch::Tensor> inputs;
    if (nWeak > 0) inputs.push_back(takeRows(weak, rows.weak));
    if (nStrong > 0) inputs.push_back(normalize_.fromUnit(taught.views.strong.images));
    MultiTaskOutput both;
    {
        AutocastScope autocast(options_.mixedPrecision, device_);
        both = student_.forward(inputs.size() == 1 ? inputs.front() : torch::cat(inputs));
    }
    StepLosses l;
    if (nWeak > 0)
        l = supervisedPart(multiTaskLosses(student_, slice(both, 0, nWeak), takeRows(views.weak.seg, rows.weak),
                                           padGroundTruth(selectRows(views.weak.boxes, rows.weak), 1.f).to(device_),
                                           takeRows(onDevice.hasDet, rows.weak)));
    l.lambda = options_.unsupWeight * sigmoidRampUp(step, options_.rampSteps);
    if (nStrong > 0) {
        const MultiTaskOutput outStrong = slice(both, nWeak, nStrong);
        unsupervisedPart(l, outStrong, taught, batch, onDevice, rows.strong);
        measureStudent(batch, taught.views.strong, outStrong, rows.strong);
    }
    lastLambda_ = l.lambda;
    semiSupervisedSteps_ = true;
    measureQuality(batch, views.weak, taught.pseudo.seg, taught.pseudo.boxes, rows.strong);
    l.targets = taught.targets;
    finish(l);
    return l;
}

AugmentedBatch SemiSupervisedStep::augment(const TrainBatch& batch, const DeviceBatch& onDevice, std::int64_t step,
                                           bool sharded) {
    const AugmentInput input{onDevice.images, onDevice.seg, batch.boxes};
    const std::uint64_t seed = augmentSeed(options_.seed, static_cast<std::uint64_t>(step));
    if (!sharded || !parallel_ || parallel_->size() == 1) return augmenter_.augment(input, seed);
    const auto local = static_cast<std::size_t>(batch.images.size(0));
    const auto whole = local * static_cast<std::size_t>(parallel_->size());
    return augmenter_.augmentRows(input, seed, static_cast<int>(whole),
                                  shardPositions(whole, parallel_->rank(), parallel_->size()));
}

TeacherTargets SemiSupervisedStep::teachRows(const TrainBatch& batch, const AugmentedBatch& views,
                                             const torch::Tensor& weak, const std::vector<std::int64_t>& rows) {
    AugmentedBatch selected = selectSamples(views, rows);
    if (!options_.oracle) return method_->teach(teacher_.model(), std::move(selected), takeRows(weak, rows));
    PseudoLabels labels = oracleLabels(batch, rows, selected.weak);
    return method_->targetsFromLabels(std::move(selected), std::move(labels), std::max(1, student_.spec().segClasses));
}

PseudoLabels SemiSupervisedStep::oracleLabels(const TrainBatch& batch, const std::vector<std::int64_t>& rows,
                                              const AugmentedView& weakOfRows) const {
    const auto& hidden = batch.hiddenForEvaluation;
    if (!hidden.hasSeg.defined())
        throw InputError("train.pseudo_source oracle: the training batch carries no hidden labels (a data.split "
                         "that hides labels is needed)");
    const auto shownSeg = batch.hasSeg.to(torch::kBool).contiguous(), shownDet = batch.hasDet.to(torch::kBool).contiguous();
    std::vector<torch::Tensor> masks;
    std::vector<std::vector<Box>> boxes;
    for (const std::int64_t row : rows) {
        const auto i = static_cast<std::size_t>(row);
        masks.push_back(shownSeg.data_ptr<bool>()[row] ? batch.seg[row] : hidden.seg[row]);
        boxes.push_back(shownDet.data_ptr<bool>()[row] ? batch.boxes[i] : hidden.boxes[i]);
    }
    const ModelSpec& spec = student_.spec();
    const StrongViewTargets seen =
        labelsInView(weakOfRows, spec.hasSeg() ? torch::stack(masks).to(device_) : torch::Tensor(),
                     spec.hasDet() ? boxes : std::vector<std::vector<Box>>(), augmenter_.options().boxes);
    PseudoLabels labels;
    if (seen.seg.defined()) labels.seg = seen.seg.to(torch::kLong);
    for (const auto& perImage : seen.boxes) {
        labels.boxes.emplace_back();
        for (const Box& b : perImage) labels.boxes.back().push_back(Detection{b, 1.f});
    }
    return labels;
}

TeacherTargets SemiSupervisedStep::teach(const TrainBatch& batch, std::int64_t step) {
    DeviceBatch d;
    d.images = batch.images.to(device_);
    d.seg = batch.seg.to(device_);
    const AugmentedBatch views = augment(batch, d, step, /*sharded=*/false);
    std::vector<std::int64_t> all(static_cast<std::size_t>(batch.images.size(0)));
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::int64_t>(i);
    return teachRows(batch, views, normalize_.fromUnit(views.weak.images), all);
}

PseudoLabels SemiSupervisedStep::teacherOnImages(const TrainBatch& batch, double boxThreshold) {
    PostprocessOptions boxes = options_.pseudoBoxes;
    boxes.scoreThreshold = boxThreshold;
    return teacherPseudoLabels(teacher_.model(), normalize_(batch.images.to(device_)), boxes,
                               options_.segPseudoThreshold);
}

void SemiSupervisedStep::unsupervisedPart(StepLosses& l, const MultiTaskOutput& outStrong, const TeacherTargets& taught,
                                          const TrainBatch& batch, const DeviceBatch& onDevice,
                                          const std::vector<std::int64_t>& strongRows) {
    const auto n = static_cast<int64_t>(strongRows.size());
    const auto all = torch::ones({n}, torch::TensorOptions(device_).dtype(torch::kBool));
    StrongViewPass pass{outStrong, student_, taught};
    pass.segSelected = options_.luOnAllSamples ? all : takeRows(onDevice.hasSeg, strongRows).logical_not();
    pass.detSelected = options_.luOnAllSamples ? all : takeRows(onDevice.hasDet, strongRows).logical_not();
    // The selection again from the loader's host flags: counting boxes needs no device read.
    const auto hostHasDet = batch.hasDet.to(torch::kBool).contiguous();
    for (const std::int64_t row : strongRows)
        pass.detSelectedOnHost.push_back(options_.luOnAllSamples || !hostHasDet.data_ptr<bool>()[row]);
    if (options_.pseudoBoxNegatives) pass.labeledPositivesPerImage = labeledPositivesPerImage(l);
    const UnsupervisedLosses u = method_->unsupervisedLosses(pass, meter_);
    l.segUnsup = u.seg;
    l.segUnsupCount = u.segCount;
    l.detUnsupClassification = u.detClassification;
    l.detUnsupRegression = u.detRegression;
    l.detUnsupCount = u.detCount;
}

void SemiSupervisedStep::measureQuality(const TrainBatch& batch, const AugmentedView& weakView,
                                        const torch::Tensor& pseudoSeg,
                                        const std::vector<std::vector<Detection>>& pseudoBoxes,
                                        const std::vector<std::int64_t>& teacherRows) {
    const auto& hidden = batch.hiddenForEvaluation;
    if (!hidden.seg.defined() || teacherRows.empty()) return;
    const StrongViewTargets truth = labelsInView(weakView, hidden.seg.to(device_), hidden.boxes, augmenter_.options().boxes);
    const auto hasSeg = hidden.hasSeg.to(torch::kBool).contiguous(), hasDet = hidden.hasDet.to(torch::kBool).contiguous();
    std::vector<int64_t> truthRows, pseudoRows; // segmentation: the same images in both
    for (std::size_t r = 0; r < teacherRows.size(); ++r) {
        const auto i = teacherRows[r];
        if (hasSeg.data_ptr<bool>()[i]) truthRows.push_back(i), pseudoRows.push_back(static_cast<int64_t>(r));
        if (!pseudoBoxes.empty() && hasDet.data_ptr<bool>()[i])
            quality_.addDetection(pseudoBoxes[r], truth.boxes[static_cast<std::size_t>(i)]);
    }
    if (!pseudoSeg.defined() || truthRows.empty()) return;
    countConfusion(segConfusion_, takeRows(truth.seg, truthRows), takeRows(pseudoSeg, pseudoRows));
    segQualityImages_ += static_cast<std::int64_t>(truthRows.size());
}

void SemiSupervisedStep::measureStudent(const TrainBatch& batch, const AugmentedView& strong,
                                        const MultiTaskOutput& outStrong, const std::vector<std::int64_t>& rows) {
    const auto& hidden = batch.hiddenForEvaluation;
    if (!hidden.seg.defined() || !outStrong.segLogits.defined()) return;
    const auto hasSeg = hidden.hasSeg.to(torch::kBool).contiguous();
    std::vector<std::int64_t> measured; // positions in `rows` whose sample has a hidden mask
    for (std::size_t r = 0; r < rows.size(); ++r)
        if (hasSeg.data_ptr<bool>()[rows[r]]) measured.push_back(static_cast<std::int64_t>(r));
    if (measured.empty()) return;
    torch::NoGradGuard noGrad;
    const StrongViewTargets truth = labelsInView(strong, takeRows(hidden.seg, rows).to(device_), {}, augmenter_.options().boxes);
    const auto predicted = outStrong.segLogitsAtInputSize().argmax(1);
    countConfusion(studentConfusion_, takeRows(truth.seg, measured), takeRows(predicted, measured));
    studentQualityImages_ += static_cast<std::int64_t>(measured.size());
}

void SemiSupervisedStep::countConfusion(torch::Tensor& confusion, const torch::Tensor& truth,
                                        const torch::Tensor& predicted) const {
    const int64_t classes = std::max(1, student_.spec().segClasses);
    const auto t = truth.to(torch::kLong), p = predicted.to(torch::kLong);
    const auto valid = t.ne(255).logical_and(t.lt(classes)).logical_and(p.ge(0)).logical_and(p.lt(classes));
    const auto bins = torch::where(valid, t * classes + p, torch::full_like(t, classes * classes)).flatten();
    if (!confusion.defined())
        confusion = torch::zeros({classes * classes + 1}, torch::TensorOptions(device_).dtype(torch::kLong));
    confusion.scatter_add_(0, bins, torch::ones_like(bins));
}

void SemiSupervisedStep::closePeriod() {
    if (!semiSupervisedSteps_) return;
    meter_.set("train/lambda", lastLambda_);
    const auto addCounts = [](PseudoLabelQuality& quality, const torch::Tensor& confusion, std::int64_t images) {
        if (images == 0) return;
        const auto counts = confusion.narrow(0, 0, confusion.size(0) - 1).to(torch::kCPU).contiguous();
        quality.addSegmentationCounts(
            std::vector<std::int64_t>(counts.data_ptr<int64_t>(), counts.data_ptr<int64_t>() + counts.numel()), images);
    };
    addCounts(quality_, segConfusion_, segQualityImages_);
    addCounts(studentQuality_, studentConfusion_, studentQualityImages_);
    if (quality_.hasSegmentation()) meter_.set("pseudo/seg_mIoU", quality_.segmentationMeanIoU());
    // The student on the strong views, the same labels seen there: FixMatch's premise is a teacher
    // (on the weak view) ahead of this.
    if (studentQuality_.hasSegmentation()) meter_.set("pseudo/student_seg_mIoU", studentQuality_.segmentationMeanIoU());
    if (quality_.hasDetection()) {
        meter_.set("pseudo/det_precision", quality_.precision());
        meter_.set("pseudo/det_recall", quality_.recall());
    }
    quality_.reset();
    studentQuality_.reset();
    segConfusion_ = studentConfusion_ = torch::Tensor();
    segQualityImages_ = studentQualityImages_ = 0;
    semiSupervisedSteps_ = false;
}

} // namespace mtl
