#pragma once
// The bookkeeping of one run while it trains, kept out of the training loop: its status and
// provenance in the registry, messages to run.log and the observer, metrics to the registry and
// metrics.csv (one transaction and one flush per logging period), validation results (per class,
// results.json), checkpoints in the registry and run.json. Torch-free: it sees numbers and paths.
#include "core/data/Dataset.h"
#include "core/eval/PerImageScores.h"
#include "core/experiment/Registry.h"
#include "core/train/TrainingObserver.h"

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mtl {

class RunRecorder {
public:
    // Opens the run's run.log for appending; the registry is opened by begin() (or end()).
    RunRecorder(std::int64_t runId, std::string runDir, std::string registryPath, TrainingObserver& observer);
    // The recorder of a data-parallel run's other ranks: rank 0 alone writes, so this one writes
    // nothing anywhere and passes messages to the observer only.
    explicit RunRecorder(TrainingObserver& observer);

    // The registry's record: running, with the program's and the libraries' versions and the run
    // folder's first artifacts; run.json.
    void begin();
    void say(const std::string& line); // run.log and the observer
    void recordSplit(const std::string& splitJson);
    // Drops what was logged after `step` (a resumed run logs it again) and opens metrics.csv, to
    // append when resuming into an existing file.
    void restartAfter(std::int64_t step, bool resuming);

    void logMetrics(std::int64_t step, const std::vector<std::pair<std::string, double>>& values);
    void reportStep(const StepReport& report, const std::vector<std::pair<std::string, double>>& values);
    // val/* metrics, per-class results and results.json of one validation (not yet announced).
    void recordValidation(const ValidationReport& report, const ClassNames& classes);
    // Writes a validation's per-image results into the run folder; their file relative to it
    // (empty on a rank that does not write).
    std::string recordPerImage(const PerImageResults& results);
    // The student's scores at a validation, as val_student/mIoU, /mAP, /AP50, /geo_mean.
    void recordStudentValidation(const ValidationReport& report);
    void recordBest(std::int64_t step, const std::string& path, double geometricMean);
    void announceValidation(const ValidationReport& report) { observer_.onValidation(report); }
    void recordCheckpoint(std::int64_t step, const std::string& path);
    void recordArtifact(const std::string& kind, const std::string& path);
    void warnAboutSkippedSamples(const std::vector<std::string>& messages);

    // "the last good checkpoint (step N) is kept", or that none was written: for a diverged run.
    std::string keptCheckpoint();
    // The final status in the registry, run.log and run.json; returns the message, with a registry
    // problem appended when there was one. Never throws.
    std::string end(RunStatus status, std::string message);

private:
    Registry& registry();

    std::int64_t id_;
    std::string runDir_, registryPath_;
    TrainingObserver& observer_;
    std::ofstream log_, csv_;
    std::unique_ptr<Registry> registry_;
    std::size_t reportedSkips_ = 0;
    bool writes_ = true;
};

} // namespace mtl
