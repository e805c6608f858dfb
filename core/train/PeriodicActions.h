#pragma once
// What a run does besides stepping, each at its own period: the Trainer runs every action that is
// due after each step, in the order TrainingRun gave them, and finishes them all after the last
// step. Each action decides for itself what it does on which process of a data-parallel run: the
// logger runs on every rank (the period's values are merged on rank 0, which decides for all);
// snapshots, checkpoints and validation are rank 0's, the rank that writes.
#include "core/common/Error.h"
#include "core/data/Dataset.h"
#include "core/eval/ValidationReport.h"
#include "core/model/DetectionPostprocess.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mtl {

class BestCheckpoint;
class DataParallel;
class RunRecorder;
class TeacherSnapshotter;
class Trainer;
struct TrainConfig;

// A non-finite loss or weight: the run ends as diverged, keeping the last checkpoint written before.
struct Diverged : Error {
    using Error::Error;
};

class PeriodicAction {
public:
    virtual ~PeriodicAction() = default;
    virtual void begin(Trainer&) {} // before the first step trained
    virtual bool due(std::int64_t done) const = 0; // after `done` steps
    virtual void run(Trainer& trainer, std::int64_t done) = 0;
    // After the last step: `completed` when the run trained all its steps (not stopped).
    virtual void finish(Trainer&, std::int64_t /*done*/, bool /*completed*/) {}
};

// Every train.log_every steps and at the last: the period's means (one read from the device) to
// the registry, metrics.csv and the observer, with the time per step and the loader's share of it.
// A non-finite loss ends the run as diverged; data-parallel, rank 0 also compares the teachers'
// checksums. At the end, the training time.
class PeriodLogger final : public PeriodicAction {
public:
    PeriodLogger(const TrainConfig& train, RunRecorder& record, DataParallel* processes, bool writingRank);
    void begin(Trainer& trainer) override;
    bool due(std::int64_t done) const override { return done % every_ == 0 || done == steps_; }
    void run(Trainer& trainer, std::int64_t done) override;
    void finish(Trainer& trainer, std::int64_t done, bool completed) override;

private:
    std::vector<std::pair<std::string, double>> periodMeans(Trainer& trainer, std::int64_t done);
    using Clock = std::chrono::steady_clock;
    std::int64_t every_, steps_;
    RunRecorder& record_;
    DataParallel* processes_;
    bool writingRank_;
    Clock::time_point start_, periodStart_;
    double periodWait_ = 0;
    std::int64_t firstStep_ = 0, lastLogged_ = 0;
};

// Rank 0, every diagnostics.every steps: what the teacher teaches (TeacherSnapshotter). A snapshot
// that cannot be written (a full disk) ends the snapshots, not the run. At the end, their share of
// the time. `snapshots` is null on other ranks and when diagnostics.every is 0.
class SnapshotTaker final : public PeriodicAction {
public:
    SnapshotTaker(std::unique_ptr<TeacherSnapshotter> snapshots, RunRecorder& record);
    ~SnapshotTaker() override;
    void begin(Trainer&) override { start_ = Clock::now(); }
    bool due(std::int64_t done) const override;
    void run(Trainer& trainer, std::int64_t done) override;
    void finish(Trainer& trainer, std::int64_t done, bool completed) override;

private:
    using Clock = std::chrono::steady_clock;
    std::unique_ptr<TeacherSnapshotter> snapshots_;
    RunRecorder& record_;
    Clock::time_point start_;
    double seconds_ = 0;
    int taken_ = 0;
};

// Rank 0, every train.checkpoint_every steps and after the last: student, teacher, optimiser and
// step to `path`, written only when the losses of the period and the weights are finite, so that a
// checkpoint on disk never holds a diverged model.
class CheckpointWriter final : public PeriodicAction {
public:
    CheckpointWriter(std::string path, int every, RunRecorder& record, bool writingRank)
        : path_(std::move(path)), every_(every), record_(record), writingRank_(writingRank) {}
    bool due(std::int64_t done) const override { return writingRank_ && done % every_ == 0; }
    void run(Trainer& trainer, std::int64_t done) override;
    void finish(Trainer& trainer, std::int64_t done, bool) override {
        if (writingRank_) run(trainer, done);
    }

private:
    std::string path_;
    int every_;
    RunRecorder& record_;
    bool writingRank_;
};

// Rank 0, every eval.every steps before the last, and at the end of a completed run: the EMA
// teacher on the validation images; the best by geometric mean kept as best.pt. `last` receives
// each report.
class Validator final : public PeriodicAction {
public:
    Validator(std::vector<Sample> images, PostprocessOptions postprocess, int every, std::int64_t lastStep,
              std::unique_ptr<BestCheckpoint> best, ClassNames classes, RunRecorder& record,
              std::optional<ValidationReport>& last, bool scoreStudent);
    ~Validator() override;
    bool due(std::int64_t done) const override { return best_ && every_ > 0 && done % every_ == 0 && done != lastStep_; }
    void run(Trainer& trainer, std::int64_t done) override;
    void finish(Trainer& trainer, std::int64_t done, bool completed) override {
        if (best_ && completed) run(trainer, done);
    }

private:
    std::vector<Sample> images_; // at eval.input_width × input_height, labels at full size
    PostprocessOptions postprocess_;
    int every_;
    std::int64_t lastStep_;
    std::unique_ptr<BestCheckpoint> best_; // null on ranks that do not validate
    ClassNames classes_;
    RunRecorder& record_;
    std::optional<ValidationReport>& last_;
    bool scoreStudent_; // the student validated too (eval.score_student)
};

} // namespace mtl
