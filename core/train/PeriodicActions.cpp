#include "core/train/PeriodicActions.h"

#include "core/eval/Validation.h"
#include "core/model/Checkpoint.h"
#include "core/train/BestCheckpoint.h"
#include "core/train/DataParallel.h"
#include "core/train/RunRecorder.h"
#include "core/train/TeacherSnapshotter.h"
#include "core/train/Trainer.h"

#include <cmath>
#include <cstdio>

namespace mtl {
namespace {

// Teacher checksums travel with a period's totals under this key (never a metric).
constexpr const char* kTeacherChecksum = "#teacher_checksum";

double seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

} // namespace

PeriodLogger::PeriodLogger(const TrainConfig& train, RunRecorder& record, DataParallel* processes, bool writingRank)
    : every_(train.logEvery), steps_(train.steps), record_(record), processes_(processes), writingRank_(writingRank) {}

void PeriodLogger::begin(Trainer& trainer) {
    start_ = periodStart_ = Clock::now();
    firstStep_ = lastLogged_ = trainer.firstStep();
    periodWait_ = trainer.loader().waitSeconds();
}

void PeriodLogger::run(Trainer& trainer, std::int64_t done) {
    const auto t = Clock::now();
    const double period = seconds(t - periodStart_);
    trainer.step().closePeriod();
    trainer.meter().set("train/lr", trainer.learningRate());
    const auto values = periodMeans(trainer, done); // the period's one read from the device
    if (!writingRank_) return;
    auto mean = [&](const char* key) {
        for (const auto& [k, v] : values)
            if (k == key) return v;
        return 0.0;
    };
    StepReport r;
    r.step = done;
    r.totalSteps = steps_;
    r.loss = mean("train/loss");
    r.segLoss = mean("train/seg_loss");
    r.detClsLoss = mean("train/det_cls_loss");
    r.detBoxLoss = mean("train/det_box_loss");
    r.lr = trainer.learningRate();
    r.secondsPerStep = period / double(done - lastLogged_);
    const BatchLoader& loader = trainer.loader();
    r.loaderWaitShare = period > 0 ? (loader.waitSeconds() - periodWait_) / period : 0;
    r.elapsed = seconds(t - start_);
    if (!std::isfinite(r.loss))
        throw Diverged("loss is not finite (" + std::to_string(r.loss) + ") at step " + std::to_string(done));
    record_.reportStep(r, values);
    if (loader.skippedSamples() > 0) record_.warnAboutSkippedSamples(loader.skippedMessages());
    periodStart_ = t;
    periodWait_ = loader.waitSeconds();
    lastLogged_ = done;
}

std::vector<std::pair<std::string, double>> PeriodLogger::periodMeans(Trainer& trainer, std::int64_t done) {
    LossMeter& meter = trainer.meter();
    if (!processes_) return meter.takeMeans();
    std::vector<LossMeter::Total> totals = meter.takeTotals();
    totals.push_back({kTeacherChecksum, weightChecksum(trainer.teacher().model()), 1, true});
    const std::vector<std::string> periods = processes_->gatherText(LossMeter::encode(totals));
    std::string verdict;
    std::vector<std::pair<std::string, double>> means;
    if (writingRank_) {
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

void PeriodLogger::finish(Trainer&, std::int64_t done, bool) {
    if (!writingRank_ || done <= firstStep_) return;
    const double trained = seconds(Clock::now() - start_);
    char line[200];
    std::snprintf(line, sizeof line, "training: %lld steps in %.1f s, %.4f s/step",
                  static_cast<long long>(done - firstStep_), trained, trained / double(done - firstStep_));
    std::string text = line;
    if (processes_) {
        // Rank 0's time in the gradients' all-reduce, waiting for slower ranks included.
        std::snprintf(line, sizeof line, "; all-reduce of the gradients %.1f s, %.1f %% of it",
                      processes_->collectiveSeconds(), trained > 0 ? 100 * processes_->collectiveSeconds() / trained : 0.0);
        text += line;
    }
    record_.say(text);
}

SnapshotTaker::SnapshotTaker(std::unique_ptr<TeacherSnapshotter> snapshots, RunRecorder& record)
    : snapshots_(std::move(snapshots)), record_(record) {}

SnapshotTaker::~SnapshotTaker() = default;

bool SnapshotTaker::due(std::int64_t done) const { return snapshots_ && snapshots_->due(done); }

void SnapshotTaker::run(Trainer& trainer, std::int64_t done) {
    const auto t0 = Clock::now();
    try {
        snapshots_->take(trainer.step(), done);
        ++taken_;
    } catch (const std::exception& e) {
        record_.say(std::string("warning: teacher snapshots stop: ") + e.what());
        snapshots_.reset();
    }
    seconds_ += seconds(Clock::now() - t0);
}

void SnapshotTaker::finish(Trainer&, std::int64_t, bool) {
    if (taken_ == 0) return;
    const double total = seconds(Clock::now() - start_);
    char line[160];
    std::snprintf(line, sizeof line, "teacher snapshots: %d taken in %.2f s, %.2f %% of the training time", taken_,
                  seconds_, total > 0 ? 100 * seconds_ / total : 0.0);
    record_.say(line);
}

void CheckpointWriter::run(Trainer& trainer, std::int64_t done) {
    const double sum = trainer.meter().sum("train/loss");
    if (!std::isfinite(sum))
        throw Diverged("loss is not finite (" + std::to_string(sum) + ") by step " + std::to_string(done));
    for (const auto& p : trainer.student().parameters())
        if (!torch::isfinite(p).all().item<bool>())
            throw Diverged("weights are not finite at step " + std::to_string(done));
    saveCheckpoint(path_, trainer.student(), &trainer.optimizer(), done, &trainer.teacher().model());
    record_.recordCheckpoint(done, path_);
}

Validator::Validator(std::vector<Sample> images, PostprocessOptions postprocess, int every, std::int64_t lastStep,
                     std::unique_ptr<BestCheckpoint> best, ClassNames classes, RunRecorder& record,
                     std::optional<ValidationReport>& last, bool scoreStudent)
    : images_(std::move(images)), postprocess_(postprocess), every_(every), lastStep_(lastStep), best_(std::move(best)),
      classes_(std::move(classes)), record_(record), last_(last), scoreStudent_(scoreStudent) {}

Validator::~Validator() = default;

void Validator::run(Trainer& trainer, std::int64_t done) {
    MultiTaskModelImpl& evaluated = trainer.teacher().model();
    PerImageResults perImage;
    ValidationReport r = validate(evaluated, images_, trainer.device(), postprocess_, 8, &perImage);
    r.step = done;
    perImage.step = done;
    perImage.segClasses = classes_.seg;
    r.perImageFile = record_.recordPerImage(perImage);
    if (scoreStudent_) {
        ValidationReport student = validate(trainer.student(), images_, trainer.device(), postprocess_);
        student.step = done;
        record_.recordStudentValidation(student);
    }
    last_ = r;
    record_.recordValidation(r, classes_);
    if (best_->offer(r, evaluated)) record_.recordBest(done, best_->checkpointPath(), r.geometricMean);
    record_.announceValidation(r);
}

} // namespace mtl
