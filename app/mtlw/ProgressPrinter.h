#pragma once
// Shows a training run's progress on stderr: a bar with ETA and current losses redrawn in place on
// a terminal, plain log lines otherwise (or with --quiet: only messages and validations).
#include "core/train/TrainingRun.h"

#include <mutex>

namespace mtlw {

class ProgressPrinter : public mtl::TrainingObserver {
public:
    // A non-empty prefix (e.g. "[run 12] ", for runs sharing stderr) starts every line and turns the
    // in-place bar into plain lines.
    ProgressPrinter(bool quiet, int logLinesEvery, std::string prefix = {});
    void onMessage(const std::string& line) override;
    void onStep(const mtl::StepReport& r) override;
    void onValidation(const mtl::ValidationReport& r) override;
    void onFinished(mtl::RunStatus status, const std::string& message) override;

private:
    void endBarLine();
    bool tty_, quiet_, barShown_ = false;
    int logLinesEvery_, reports_ = 0;
    std::string prefix_;
    std::mutex mutex_;
};

// Per-class IoU and AP with the means, as the result table of a run.
void printResultTable(std::ostream& out, const mtl::ValidationReport& r);

} // namespace mtlw
